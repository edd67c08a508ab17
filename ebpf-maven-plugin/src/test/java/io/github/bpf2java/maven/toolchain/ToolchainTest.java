package io.github.bpf2java.maven.toolchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.maven.build.EbpfBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolchainTest {

    @TempDir
    Path dir;

    @Test
    void parsesClangVersionLines() {
        ClangVersion v = ClangVersion.parse("Debian clang version 19.1.7 (3~deb12u1)\nTarget: x86_64\n").orElseThrow();
        assertEquals(19, v.major());
        assertEquals("19.1.7", v.toString());
        assertEquals(14, ClangVersion.parse("clang version 14.0.6").orElseThrow().major());
        assertTrue(ClangVersion.parse("gcc (Debian 12.2.0-14) 12.2.0").isEmpty());
    }

    @Test
    void prefersTheNewestVersionedClangWhenThereIsNoPlainOne() throws Exception {
        Path clang14 = real("clang-14");
        Path clang19 = real("clang-19");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("clang-14"), clang14);
        Files.createSymbolicLink(bin.resolve("clang-19"), clang19);
        Path found = new ClangLocator(new ExecutableSearch(bin.toString())).locate(Optional.empty(), dir);
        assertEquals(bin.resolve("clang-19"), found);
    }

    @Test
    void missingClangSaysWhatWasSearchedAndHowToFixIt() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new ClangLocator(new ExecutableSearch(empty.toString())).locate(Optional.empty(), dir));
        assertTrue(e.getMessage().contains("'clang' or 'clang-NN'"), e.getMessage());
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("-Debpf.clang=/path/to/clang"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install clang"), e.getMessage());
    }

    @Test
    void aConfiguredClangThatIsNotInstalledIsReportedWithTheClangsThatAre() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("clang-14"), real("clang-14"));
        Files.createSymbolicLink(bin.resolve("clang-19"), real("clang-19"));
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new ClangLocator(new ExecutableSearch(bin.toString())).locate(Optional.of("clang-99"), dir));
        assertTrue(e.getMessage().startsWith("Cannot find clang to compile the eBPF sources: no executable 'clang-99' "
                + "(the configured <clang>) in the PATH directories " + bin + "; there are clang-19, clang-14.\n"),
                e.getMessage());
    }

    @Test
    void configuredPathThatIsNotExecutableIsReported() {
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new ClangLocator(ExecutableSearch.ofEnvironment()).locate(Optional.of("tools/clang"), dir));
        assertTrue(e.getMessage().contains(dir.resolve("tools/clang").toString()), e.getMessage());
    }

    @Test
    void picksTheStripToolBesideTheRealClang() throws Exception {
        Path clang19 = real("clang-19");
        Map<String, String> versions = new HashMap<>();
        Toolchain toolchain = new ToolchainResolver(ExecutableSearch.ofEnvironment(), new ProcessRunner())
                .resolve(Optional.of(clang19.toString()), true, dir, versions);
        assertEquals(19, toolchain.clangVersion().major());
        Path strip = toolchain.strip().orElseThrow().executable();
        assertEquals(clang19.toRealPath().getParent(), strip.getParent(), strip.toString());
        assertEquals(2, versions.size(), "both versions are remembered for the next build");
    }

    /** The Maven clang comes with llvm-objcopy and no llvm-strip: an llvm-strip on PATH must not be mixed in. */
    @Test
    void prefersTheObjcopyBesideClangToAStripOnThePath() throws Exception {
        Path objcopy = real("llvm-objcopy-19");
        Path bin = Files.createDirectories(dir.resolve("maven-llvm/bin"));
        Files.createSymbolicLink(bin.resolve("llvm-objcopy"), objcopy);
        Path onPath = Files.createDirectories(dir.resolve("path"));
        Files.createSymbolicLink(onPath.resolve("llvm-strip"), real("llvm-strip-19"));
        StripTool tool = new StripToolLocator(new ExecutableSearch(onPath.toString())).locate(bin.resolve("clang"), 17);
        assertEquals(bin.resolve("llvm-objcopy"), tool.executable());
        assertTrue(tool.objcopy());
    }

    @Test
    void reusesRecordedVersionsWithoutRunningTheTools() throws Exception {
        Path clang = real("clang-19");
        Map<String, String> versions = new HashMap<>();
        versions.put(ToolIdentity.of(clang).key(), "clang version 99.1.2\n");
        Toolchain toolchain = new ToolchainResolver(ExecutableSearch.ofEnvironment(), new ProcessRunner())
                .resolve(Optional.of(clang.toString()), false, dir, versions);
        assertEquals(99, toolchain.clangVersion().major());
    }

    private static Path real(String name) {
        Optional<Path> found = ExecutableSearch.ofEnvironment().find(name);
        assumeTrue(found.isPresent(), name + " is not installed");
        return found.get();
    }

    @Test
    void searchSkipsUnusableEntries() {
        ExecutableSearch search = new ExecutableSearch("::/nonexistent:" + dir);
        assertEquals(List.of(Path.of("/nonexistent"), dir), search.directories());
        assertTrue(search.find("clang").isEmpty());
    }
}
