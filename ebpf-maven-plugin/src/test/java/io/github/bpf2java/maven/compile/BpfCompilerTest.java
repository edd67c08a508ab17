package io.github.bpf2java.maven.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.naming.JavaNames;
import io.github.bpf2java.maven.source.BpfSource;
import io.github.bpf2java.maven.toolchain.ExecutableSearch;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import io.github.bpf2java.maven.toolchain.Toolchain;
import io.github.bpf2java.maven.toolchain.ToolchainResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpfCompilerTest {

    @TempDir
    Path dir;

    @Test
    void compilesOneObjectPerByteOrder() throws Exception {
        TestProject project = new TestProject(dir.resolve("p"));
        Path file = project.addFixture("counter.c", "counter.c");
        List<CompiledObject> objects = compile(project, file, true);
        assertEquals(2, objects.size());
        byte[] el = Files.readAllBytes(objects.get(0).object());
        byte[] eb = Files.readAllBytes(objects.get(1).object());
        // e_ident[EI_DATA]: 1 = little endian, 2 = big endian.
        assertEquals(1, el[5]);
        assertEquals(2, eb[5]);
        assertTrue(objects.get(0).dependencies().contains(file), objects.get(0).dependencies().toString());
        assertTrue(objects.get(0).dependencies().stream().anyMatch(d -> d.endsWith("bpf/bpf_helpers.h")));
    }

    @Test
    void strippingRemovesDwarfButKeepsBtf() throws Exception {
        TestProject project = new TestProject(dir.resolve("p"));
        Path file = project.addFixture("counter.c", "counter.c");
        String stripped = new String(Files.readAllBytes(compile(project, file, true).get(0).object()),
                StandardCharsets.ISO_8859_1);
        assertTrue(stripped.contains(".BTF.ext"));
        assertFalse(stripped.contains(".debug_info"));
        String unstripped = new String(Files.readAllBytes(compile(project, file, false).get(0).object()),
                StandardCharsets.ISO_8859_1);
        assertTrue(unstripped.contains(".debug_info"));
    }

    @Test
    void compileErrorCarriesClangsFileLineColumnForEachFailedSource() throws Exception {
        TestProject project = new TestProject(dir.resolve("p"));
        Path file = project.addFixture("broken.c", "broken.c");
        CompilationFailedException e = assertThrows(CompilationFailedException.class,
                () -> compile(project, file, true));
        assertTrue(e.getMessage().contains("\n" + file.toAbsolutePath().normalize() + ":8:12: error: use of undeclared"
                + " identifier"), "absolute, so that it resolves from a reactor's root too: " + e.getMessage());
        assertTrue(e.getMessage().contains("broken.c (bpfel, bpfeb)"), "same error reported once: " + e.getMessage());
    }

    @Test
    void objectsAreByteIdenticalWhateverTheProjectDirectory() throws Exception {
        TestProject one = new TestProject(dir.resolve("one"));
        TestProject two = new TestProject(dir.resolve("somewhere/else/two"));
        byte[] a = Files.readAllBytes(compile(one, one.addFixture("counter.c", "counter.c"), true).get(0).object());
        byte[] b = Files.readAllBytes(compile(two, two.addFixture("counter.c", "counter.c"), true).get(0).object());
        assertArrayEquals(a, b);
        assertFalse(new String(a, StandardCharsets.ISO_8859_1).contains(dir.toString()), "no build path inside");
    }

    @Test
    void aHeaderSharedFromAboveTheModuleLeavesNoPathOfTheCheckoutInTheObject() throws Exception {
        // A multi-module checkout: the module includes a header from a directory beside it, through an absolute -I.
        byte[] a = compileInCheckout(dir.resolve("one"));
        byte[] b = compileInCheckout(dir.resolve("moved/elsewhere/two"));
        assertArrayEquals(a, b, "the same checkout compiled in two places");
        String text = new String(a, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(dir.toString()), "no build path inside");
        assertTrue(text.contains("../common/include/shared.h"), "the header, named from the module");
    }

    private byte[] compileInCheckout(Path root) throws Exception {
        TestProject module = new TestProject(root.resolve("probes"));
        Path include = root.resolve("common/include");
        Files.createDirectories(include);
        Files.writeString(include.resolve("shared.h"), "static __attribute__((always_inline)) inline int twice(int x)"
                + "\n{\n    return 2 * x;\n}\n");
        Path file = module.write("src/main/bpf/uses_shared.c", "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n"
                + "#include \"shared.h\"\n\nSEC(\"xdp\")\nint run(struct xdp_md *ctx)\n{\n"
                + "    return twice(ctx->ingress_ifindex) & 3;\n}\n\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n");
        Toolchain toolchain = new ToolchainResolver(ExecutableSearch.ofEnvironment(), new ProcessRunner())
                .resolve(Optional.empty(), true, module.root(), new HashMap<>());
        CompilerSettings settings = new CompilerSettings(toolchain, module.root(),
                List.of(Path.of("/usr/include/x86_64-linux-gnu"), include), List.of(), "v3", true, root);
        BpfSource source = new BpfSource(file, "uses_shared.c", "uses_shared", JavaNames.typeName("uses_shared"));
        return Files.readAllBytes(new BpfCompiler(settings, new ProcessRunner(), 1)
                .compile(List.of(new CompileTask(source, Target.BPFEL, Optional.empty())),
                        module.root().resolve("scratch"), new TestProject.RecordingLog()).get(0).object());
    }

    static List<CompiledObject> compile(TestProject project, Path file, boolean strip) throws Exception {
        Toolchain toolchain = new ToolchainResolver(ExecutableSearch.ofEnvironment(), new ProcessRunner())
                .resolve(Optional.empty(), strip, project.root(), new HashMap<>());
        CompilerSettings settings = new CompilerSettings(toolchain, project.root(),
                List.of(Path.of("/usr/include/x86_64-linux-gnu")), List.of(), "v3", strip);
        String base = file.getFileName().toString().replace(".c", "");
        BpfSource source = new BpfSource(file, file.getFileName().toString(), base, JavaNames.typeName(base));
        List<CompileTask> tasks = List.of(new CompileTask(source, Target.BPFEL, Optional.empty()),
                new CompileTask(source, Target.BPFEB, Optional.empty()));
        return new BpfCompiler(settings, new ProcessRunner(), 2)
                .compile(tasks, project.root().resolve("scratch-" + strip), new TestProject.RecordingLog());
    }
}
