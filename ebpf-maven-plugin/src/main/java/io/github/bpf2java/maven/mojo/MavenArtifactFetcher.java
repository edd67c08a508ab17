package io.github.bpf2java.maven.mojo;

import io.github.bpf2java.maven.toolchain.ArtifactFetcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Maven's resolver as an {@link ArtifactFetcher}: the project's repositories, mirrors, proxies and offline mode apply,
 * and fetched jars land in the local repository with their checksum files. Unpacked tools are cached below the local
 * repository, in {@code .cache/bpf2java}, so every project of the user shares them.
 */
final class MavenArtifactFetcher implements ArtifactFetcher {
    private final RepositorySystem system;
    private final RepositorySystemSession session;
    private final List<RemoteRepository> repositories;

    MavenArtifactFetcher(RepositorySystem system, RepositorySystemSession session,
            List<RemoteRepository> repositories) {
        this.system = system;
        this.session = session;
        this.repositories = List.copyOf(repositories);
    }

    @Override
    public Path fetch(String coordinates) throws IOException {
        ArtifactRequest request = new ArtifactRequest(new DefaultArtifact(coordinates), repositories, null);
        try {
            return system.resolveArtifact(session, request).getArtifact().getFile().toPath();
        } catch (ArtifactResolutionException e) {
            throw new IOException(e.getMessage() + (session.isOffline() ? " (Maven is offline, -o)" : ""), e);
        }
    }

    @Override
    public Path cacheDirectory() {
        return session.getLocalRepository().getBasedir().toPath().resolve(".cache").resolve("bpf2java");
    }
}
