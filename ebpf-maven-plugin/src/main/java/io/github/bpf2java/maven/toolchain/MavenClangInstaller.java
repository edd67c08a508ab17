package io.github.bpf2java.maven.toolchain;

import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Makes the Maven clang usable: fetches its {@link LlvmArtifact} through the {@link ArtifactFetcher}, checks the
 * jar's checksum, and unpacks what compiling needs ({@code clang}, {@code llvm-objcopy}, their shared libraries and
 * clang's resource headers) once into {@code <cache>/<coordinates>/} as {@code bin/} and {@code lib/}, the layout in
 * which clang finds its libraries ({@code $ORIGIN/../lib}) and its headers ({@code ../lib/clang/<major>}).
 *
 * <p>A directory is only ever complete: it is unpacked under a temporary name beside its final one and renamed into
 * place in one step, so two builds unpacking at once both succeed (the second rename loses and its copy is deleted),
 * and a build that dies half-way leaves only a temporary directory. A complete directory carries a marker file; when
 * it is there nothing is fetched or checked again, which is also what makes offline builds ({@code -o}) work.
 */
public final class MavenClangInstaller {
    /** Written last, before the rename: its presence means the directory is complete. */
    static final String MARKER = ".bpf2java-complete";

    private final ArtifactFetcher fetcher;
    private final LlvmArtifact artifact;

    public MavenClangInstaller(ArtifactFetcher fetcher, LlvmArtifact artifact) {
        this.fetcher = fetcher;
        this.artifact = artifact;
    }

    /** What is installed. */
    public LlvmArtifact artifact() {
        return artifact;
    }

    /** Where the unpacked toolchain is (or will be). */
    public Path home() {
        return fetcher.cacheDirectory().resolve(artifact.cacheName());
    }

    /**
     * The unpacked clang executable, fetching and unpacking it first when this is the first build to use it.
     *
     * @throws EbpfBuildException when it cannot be fetched, its checksum is wrong, or unpacking fails
     */
    public Path install(BuildLog log) throws EbpfBuildException {
        Path home = home();
        Path clang = home.resolve("bin").resolve("clang");
        if (Files.isRegularFile(home.resolve(MARKER))) {
            return clang;
        }
        log.info("Fetching clang " + artifact.llvmVersion() + " from the Maven repositories: "
                + artifact.displayCoordinates() + " (a jar of about 140 MB, downloaded unless it is in the local"
                + " repository already, and unpacked once into " + home + ")");
        Path jar;
        try {
            jar = fetcher.fetch(artifact.coordinates());
        } catch (IOException e) {
            throw new EbpfBuildException("Cannot fetch the Maven clang " + artifact.displayCoordinates() + ": "
                    + e.getMessage() + "\n  Fix: build online once (later builds work offline), or use a clang"
                    + " installed on this machine with <toolchain>system</toolchain> in the plugin's configuration"
                    + " (-Debpf.toolchain=system works only where the POM does not set <toolchain>).", e);
        }
        try {
            long start = System.nanoTime();
            verifyChecksum(jar);
            log.info(String.format(Locale.ROOT, "Unpacking clang from %s (%.1f MB) into %s", jar.getFileName(),
                    Files.size(jar) / 1e6, home));
            long bytes = unpack(jar, home);
            log.info(String.format(Locale.ROOT, "Unpacked clang %s (%.1f MB) in %.1f s", artifact.llvmVersion(),
                    bytes / 1e6, (System.nanoTime() - start) / 1e9));
        } catch (IOException e) {
            throw new EbpfBuildException("Cannot unpack the Maven clang " + artifact.displayCoordinates() + " from "
                    + jar + " into " + home + ": " + e + "\n  Fix: check that " + home.getParent() + " is writable"
                    + " and has about 300 MB free, or use <toolchain>system</toolchain>.", e);
        }
        return clang;
    }

    /** The pinned SHA-256 when there is one, else the SHA-1 the repository published beside the jar. */
    private void verifyChecksum(Path jar) throws IOException, EbpfBuildException {
        String algorithm;
        String expected;
        if (artifact.sha256().isPresent()) {
            algorithm = "SHA-256";
            expected = artifact.sha256().get();
        } else {
            Path sha1 = jar.resolveSibling(jar.getFileName() + ".sha1");
            if (!Files.isRegularFile(sha1)) {
                throw new EbpfBuildException("Cannot check " + jar + ": no pinned checksum for "
                        + artifact.displayCoordinates() + " and no " + sha1.getFileName() + " beside it.\n  Fix:"
                        + " delete the jar so that it is downloaded again with its checksum file.");
            }
            algorithm = "SHA-1";
            expected = Files.readString(sha1, StandardCharsets.US_ASCII).trim().split("\\s+")[0];
        }
        String actual = digest(jar, algorithm);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new EbpfBuildException("The " + algorithm + " of " + jar + " is " + actual + ", expected " + expected
                    + ": the file is damaged or not the published artifact.\n  Fix: delete it (and its directory in"
                    + " the local repository) so that it is downloaded again.");
        }
    }

    private static String digest(Path file, String algorithm) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is a required JDK algorithm", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Unpacks into a temporary sibling and renames it into place; returns the bytes written. */
    private long unpack(Path jar, Path home) throws IOException {
        Files.createDirectories(home.getParent());
        deleteAbandoned(home);
        Path temp = Files.createTempDirectory(home.getParent(), home.getFileName() + ".unpacking-");
        try {
            long bytes = extract(jar, temp);
            Path clang = temp.resolve("bin").resolve("clang");
            if (!Files.isRegularFile(clang)) {
                throw new IOException("the jar has no " + artifact.entryPrefix() + "clang");
            }
            Files.writeString(temp.resolve(MARKER), artifact.displayCoordinates() + "\n", StandardCharsets.UTF_8);
            moveIntoPlace(temp, home);
            return bytes;
        } finally {
            deleteTree(temp);
        }
    }

    private long extract(Path jar, Path into) throws IOException {
        String prefix = artifact.entryPrefix();
        long bytes = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().startsWith(prefix)) {
                    continue;
                }
                Optional<Path> destination = destination(entry.getName().substring(prefix.length()), into);
                if (destination.isEmpty()) {
                    continue;
                }
                Path file = destination.get();
                Files.createDirectories(file.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes += Files.copy(in, file);
                }
                boolean executable = file.getParent().getFileName().toString().equals("bin")
                        || file.getFileName().toString().contains(".so") || file.toString().endsWith(".dylib");
                setPermissions(file, executable ? "rwxr-xr-x" : "rw-r--r--");
            }
        }
        return bytes;
    }

    /**
     * Where an entry (relative to the platform directory) goes, or empty for what compiling does not need (the other
     * tools, C++ headers of LLVM itself, JNI libraries). Zip files keep no permissions, so they are set here.
     */
    static Optional<Path> destination(String relative, Path into) {
        if (relative.contains("..")) {
            return Optional.empty();
        }
        if (relative.equals("clang") || relative.equals("llvm-objcopy")) {
            return Optional.of(into.resolve("bin").resolve(relative));
        }
        if (!relative.contains("/") && (relative.startsWith("libLLVM") || relative.startsWith("libclang-cpp"))) {
            return Optional.of(into.resolve("lib").resolve(relative));
        }
        if (relative.startsWith("lib/clang/")) {
            return Optional.of(into.resolve(relative));
        }
        return Optional.empty();
    }

    private static void setPermissions(Path file, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            file.toFile().setExecutable(permissions.startsWith("rwx"), false);
        }
    }

    /**
     * Renames the complete temporary directory to its final name. Losing the race to another build is fine: its
     * directory is just as complete. A directory without the marker is left from something else than this class
     * (e.g. a copy interrupted by hand) and is moved aside first.
     */
    private static void moveIntoPlace(Path temp, Path home) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.move(temp, home, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                if (Files.isRegularFile(home.resolve(MARKER))) {
                    return;
                }
            } catch (FileSystemException e) {
                if (!Files.exists(home)) {
                    throw e;
                }
                if (Files.isRegularFile(home.resolve(MARKER))) {
                    return;
                }
            }
            Path aside = Files.createTempDirectory(home.getParent(), home.getFileName() + ".incomplete-");
            Files.move(home, aside.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
            deleteTree(aside);
        }
        throw new IOException("could not rename " + temp + " to " + home);
    }

    /**
     * Deletes the temporary directories of builds that died while unpacking (a quarter of a gigabyte each). One that
     * is less than an hour old may belong to a build unpacking right now, and is left alone.
     */
    private static void deleteAbandoned(Path home) throws IOException {
        String prefix = home.getFileName().toString();
        long hourAgo = System.currentTimeMillis() - 3_600_000L;
        try (Stream<Path> siblings = Files.list(home.getParent())) {
            for (Path dir : siblings.toList()) {
                String name = dir.getFileName().toString();
                if (!name.startsWith(prefix + ".unpacking-") && !name.startsWith(prefix + ".incomplete-")) {
                    continue;
                }
                try {
                    if (Files.getLastModifiedTime(dir).toMillis() < hourAgo) {
                        deleteTree(dir);
                    }
                } catch (NoSuchFileException e) {
                    // Listed, then renamed into place or deleted by a build unpacking at the same time: not abandoned.
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
