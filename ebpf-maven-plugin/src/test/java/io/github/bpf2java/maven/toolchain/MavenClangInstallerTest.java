package io.github.bpf2java.maven.toolchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Maven clang's cache on a jar laid out like Bytedeco's (a small one written here: the real one is 140 MB; the
 * Invoker IT {@code maven-toolchain} builds and runs a program with the real one).
 */
class MavenClangInstallerTest {
    private static final String PREFIX = "org/bytedeco/llvm/linux-x86_64/";

    @TempDir
    Path dir;

    /** Returns the jar from a directory, as the resolver returns it from the local repository; counts the calls. */
    private static final class DirectoryFetcher implements ArtifactFetcher {
        final Path jar;
        final Path cache;
        final AtomicInteger fetches = new AtomicInteger();
        boolean offline;

        DirectoryFetcher(Path jar, Path cache) {
            this.jar = jar;
            this.cache = cache;
        }

        @Override
        public Path fetch(String coordinates) throws IOException {
            fetches.incrementAndGet();
            if (offline) {
                throw new IOException("Cannot access central in offline mode and the artifact " + coordinates
                        + " has not been downloaded from it before.");
            }
            return jar;
        }

        @Override
        public Path cacheDirectory() {
            return cache;
        }
    }

    private Path writeJar() throws IOException {
        Path jar = dir.resolve("repo/llvm-17.0.6-1.5.10-linux-x86_64.jar");
        Files.createDirectories(jar.getParent());
        Map<String, String> entries = new HashMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
        entries.put(PREFIX + "clang", "#!/bin/sh\necho 'clang version 17.0.6'\n");
        entries.put(PREFIX + "llvm-objcopy", "#!/bin/sh\necho 'LLVM version 17.0.6'\n");
        entries.put(PREFIX + "llvm-exegesis", "not needed to compile");
        entries.put(PREFIX + "libLLVM-17.so", "library");
        entries.put(PREFIX + "libclang-cpp.so.17", "library");
        entries.put(PREFIX + "libjniLLVM.so", "JNI, not needed");
        entries.put(PREFIX + "include/llvm/IR/Module.h", "LLVM's own C++ headers, not needed");
        entries.put(PREFIX + "lib/clang/17/include/stddef.h", "/* clang's resource header */\n");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }

    private static String sha(Path file, String algorithm) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
    }

    private LlvmArtifact pinned(Path jar) throws Exception {
        return new LlvmArtifact("17.0.6-1.5.10", "linux-x86_64", Optional.of(sha(jar, "SHA-256")));
    }

    @Test
    void unpacksWhatCompilingNeedsOnceAndThenWorksOffline() throws Exception {
        Path jar = writeJar();
        DirectoryFetcher fetcher = new DirectoryFetcher(jar, dir.resolve("cache"));
        MavenClangInstaller installer = new MavenClangInstaller(fetcher, pinned(jar));
        List<String> lines = new ArrayList<>();
        Path clang = installer.install(recording(lines));

        Path home = dir.resolve("cache/llvm-17.0.6-1.5.10-linux-x86_64");
        assertEquals(home.resolve("bin/clang"), clang);
        assertTrue(Files.isExecutable(clang) && Files.isExecutable(home.resolve("bin/llvm-objcopy")));
        assertTrue(Files.isRegularFile(home.resolve("lib/libLLVM-17.so")));
        assertTrue(Files.isRegularFile(home.resolve("lib/libclang-cpp.so.17")));
        assertTrue(Files.isRegularFile(home.resolve("lib/clang/17/include/stddef.h")));
        assertFalse(Files.exists(home.resolve("bin/llvm-exegesis")));
        assertFalse(Files.exists(home.resolve("lib/libjniLLVM.so")));
        assertFalse(Files.exists(home.resolve("include")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("org.bytedeco:llvm:17.0.6-1.5.10:jar:linux-x86_64")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("Unpacking clang from .* \\(\\d+\\.\\d MB\\) into .*")),
                lines.toString());

        fetcher.offline = true;
        lines.clear();
        assertEquals(clang, new MavenClangInstaller(fetcher, pinned(jar)).install(recording(lines)));
        assertEquals(1, fetcher.fetches.get(), "a complete cache is used without asking the repository");
        assertTrue(lines.isEmpty(), lines.toString());
    }

    @Test
    void buildsUnpackingAtOnceAllGetTheSameCompleteDirectory() throws Exception {
        Path jar = writeJar();
        DirectoryFetcher fetcher = new DirectoryFetcher(jar, dir.resolve("cache"));
        LlvmArtifact artifact = pinned(jar);
        int builds = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(builds);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < builds; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return new MavenClangInstaller(fetcher, artifact).install(BuildLog.silent());
                }));
            }
            start.countDown();
            for (Future<Path> result : results) {
                assertTrue(Files.isExecutable(result.get()));
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> left = Files.list(dir.resolve("cache"))) {
            assertEquals(List.of("llvm-17.0.6-1.5.10-linux-x86_64"),
                    left.map(p -> p.getFileName().toString()).toList(), "no temporary directory is left behind");
        }
    }

    @Test
    void theLeftoversOfABuildThatDiedWhileUnpackingAreRemovedOnlyWhenOld() throws Exception {
        Path jar = writeJar();
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path abandoned = Files.createDirectories(cache.resolve("llvm-17.0.6-1.5.10-linux-x86_64.unpacking-1"));
        Files.writeString(abandoned.resolve("half-written"), "x");
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 2 * 3_600_000L));
        Path busy = Files.createDirectories(cache.resolve("llvm-17.0.6-1.5.10-linux-x86_64.unpacking-2"));
        new MavenClangInstaller(new DirectoryFetcher(jar, cache), pinned(jar)).install(BuildLog.silent());
        assertFalse(Files.exists(abandoned), "a leftover two hours old is deleted");
        assertTrue(Files.isDirectory(busy), "a fresh one may be another build's, unpacking now");
    }

    @Test
    void aJarWithTheWrongChecksumIsNotUnpacked() throws Exception {
        Path jar = writeJar();
        DirectoryFetcher fetcher = new DirectoryFetcher(jar, dir.resolve("cache"));
        LlvmArtifact wrong = new LlvmArtifact("17.0.6-1.5.10", "linux-x86_64", Optional.of("00".repeat(32)));
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new MavenClangInstaller(fetcher, wrong).install(BuildLog.silent()));
        assertTrue(e.getMessage().contains("SHA-256 of " + jar), e.getMessage());
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("cache/llvm-17.0.6-1.5.10-linux-x86_64")));
    }

    @Test
    void withoutAPinnedChecksumTheRepositorysSha1IsChecked() throws Exception {
        Path jar = writeJar();
        DirectoryFetcher fetcher = new DirectoryFetcher(jar, dir.resolve("cache"));
        LlvmArtifact unpinned = new LlvmArtifact("17.0.6-1.5.10", "linux-x86_64", Optional.empty());
        Path sha1 = jar.resolveSibling(jar.getFileName() + ".sha1");

        EbpfBuildException missing = assertThrows(EbpfBuildException.class,
                () -> new MavenClangInstaller(fetcher, unpinned).install(BuildLog.silent()));
        assertTrue(missing.getMessage().contains("no pinned checksum"), missing.getMessage());

        Files.writeString(sha1, "0".repeat(40));
        EbpfBuildException mismatch = assertThrows(EbpfBuildException.class,
                () -> new MavenClangInstaller(fetcher, unpinned).install(BuildLog.silent()));
        assertTrue(mismatch.getMessage().contains("SHA-1"), mismatch.getMessage());

        Files.writeString(sha1, sha(jar, "SHA-1"));
        assertTrue(Files.isExecutable(new MavenClangInstaller(fetcher, unpinned).install(BuildLog.silent())));
    }

    @Test
    void offlineBeforeTheFirstDownloadSaysHowToGetOn() throws Exception {
        Path jar = writeJar();
        DirectoryFetcher fetcher = new DirectoryFetcher(jar, dir.resolve("cache"));
        fetcher.offline = true;
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new MavenClangInstaller(fetcher, pinned(jar)).install(BuildLog.silent()));
        assertTrue(e.getMessage().contains("offline mode"), e.getMessage());
        assertTrue(e.getMessage().contains("<toolchain>system</toolchain>"), e.getMessage());
    }

    @Test
    void choosesTheArtifactByOperatingSystemAndArchitecture() {
        assertEquals("linux-x86_64", LlvmArtifact.forPlatform("Linux", "amd64").orElseThrow().classifier());
        assertTrue(LlvmArtifact.forPlatform("Linux", "amd64").orElseThrow().sha256().isPresent());
        assertEquals("linux-arm64", LlvmArtifact.forPlatform("Linux", "aarch64").orElseThrow().classifier());
        assertEquals("macosx-arm64", LlvmArtifact.forPlatform("Mac OS X", "aarch64").orElseThrow().classifier());
        assertEquals("macosx-x86_64", LlvmArtifact.forPlatform("Mac OS X", "x86_64").orElseThrow().classifier());
        assertEquals("linux-ppc64le", LlvmArtifact.forPlatform("Linux", "ppc64le").orElseThrow().classifier());
        for (String[] platform : new String[][] {{"Linux", "aarch64"}, {"Linux", "ppc64le"}, {"Mac OS X", "x86_64"},
                {"Mac OS X", "aarch64"}}) {
            assertTrue(LlvmArtifact.forPlatform(platform[0], platform[1]).orElseThrow().sha256().isPresent(),
                    "every published platform jar is pinned");
        }
        assertTrue(LlvmArtifact.forPlatform("Windows 11", "amd64").isEmpty());
        assertTrue(LlvmArtifact.forPlatform("Linux", "x86").isEmpty());
        assertEquals("org.bytedeco:llvm:jar:linux-x86_64:17.0.6-1.5.10",
                LlvmArtifact.forPlatform("Linux", "amd64").orElseThrow().coordinates());
    }

    @Test
    void autoUsesTheSystemClangWhenOneIsConfiguredAndMavenRefusesOne() throws Exception {
        Path jar = writeJar();
        DirectoryFetcher fetcher = new DirectoryFetcher(jar, dir.resolve("cache"));
        ToolchainSelection auto = new ToolchainSelection(ToolchainKind.AUTO,
                Optional.of(new MavenClangInstaller(fetcher, pinned(jar))));
        ToolchainResolver resolver = new ToolchainResolver(ExecutableSearch.ofEnvironment(), new ProcessRunner());
        Toolchain system = resolver.resolve(auto, Optional.of("clang"), false, dir, new HashMap<>(),
                BuildLog.silent());
        assertFalse(system.clang().startsWith(dir), system.clang().toString());
        assertEquals(0, fetcher.fetches.get());

        ToolchainSelection maven = new ToolchainSelection(ToolchainKind.MAVEN, auto.maven());
        EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> resolver.resolve(maven,
                Optional.of("clang"), false, dir, new HashMap<>(), BuildLog.silent()));
        assertTrue(e.getMessage().contains("contradict"), e.getMessage());
    }

    @Test
    void autoFallsBackToTheSystemClangWithOneWarningLineSayingHowToFailInstead() throws Exception {
        Path jar = writeJar();
        DirectoryFetcher fetcher = new DirectoryFetcher(jar, dir.resolve("cache"));
        fetcher.offline = true;
        ToolchainSelection auto = new ToolchainSelection(ToolchainKind.AUTO,
                Optional.of(new MavenClangInstaller(fetcher, pinned(jar))));
        List<String> lines = new ArrayList<>();
        Toolchain system = new ToolchainResolver(ExecutableSearch.ofEnvironment(), new ProcessRunner())
                .resolve(auto, Optional.empty(), false, dir, new HashMap<>(), recording(lines));
        assertFalse(system.clang().startsWith(dir), system.clang().toString());
        String warning = lines.get(lines.size() - 1);
        assertEquals(1, warning.lines().count(), "Maven prefixes only the first line: " + warning);
        assertTrue(warning.contains("Using the system clang " + system.clang()), warning);
        assertTrue(warning.contains("set <toolchain>maven</toolchain> to fail instead"), warning);
    }

    @Test
    void parsesTheParameter() throws Exception {
        assertEquals(ToolchainKind.AUTO, ToolchainKind.parse(null));
        assertEquals(ToolchainKind.MAVEN, ToolchainKind.parse(" Maven "));
        assertEquals(ToolchainKind.SYSTEM, ToolchainKind.parse("system"));
        EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> ToolchainKind.parse("apt"));
        assertTrue(e.getMessage().contains("auto, system, maven"), e.getMessage());
    }

    private static BuildLog recording(List<String> lines) {
        return new BuildLog() {
            @Override
            public void info(String message) {
                lines.add(message);
            }

            @Override
            public void warn(String message) {
                lines.add(message);
            }

            @Override
            public void debug(String message) {}

            @Override
            public boolean isDebugEnabled() {
                return false;
            }
        };
    }

}
