package io.github.bpf2java.maven.toolchain;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Fetches an artifact through the build tool's own repository system (the mojo adapts Maven's resolver to this), so
 * its mirrors, proxies, offline mode and local repository apply.
 */
public interface ArtifactFetcher {

    /**
     * The artifact's file in the local repository, downloaded first when it is not there.
     *
     * @param coordinates {@code groupId:artifactId:extension:classifier:version}
     * @throws IOException saying why it cannot be had (offline and not cached, not found, network error)
     */
    Path fetch(String coordinates) throws IOException;

    /** A directory, shared by every build of this user, where unpacked tools are kept (e.g. below the local repository). */
    Path cacheDirectory();
}
