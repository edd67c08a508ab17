package io.github.bpf2java.maven.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.ebpf.BpfMap;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.EmbeddedObject;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.compile.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A libbpf-tools style {@code runqlat.bpf.c}: the object is named {@code runqlat}, as libbpf names it. */
class ObjectNameTest {
    private static final String SOURCE = "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n"
            + "const volatile int threshold = 3;\n"
            + "SEC(\"xdp\") int prog(struct xdp_md *ctx) { return threshold > 1 ? XDP_PASS : XDP_DROP; }\n"
            + "char LICENSE[] SEC(\"license\") = \"GPL\";\n";

    @TempDir
    Path dir;

    @Test
    void aBpfDotCSourceBuildsObjectRunqlatWithClassRunqlatBpf() throws Exception {
        TestProject project = new TestProject(dir);
        project.write("runqlat.bpf.c", SOURCE);
        new GenerateOrchestrator().execute(project.requestBuilder().targets(List.of(Target.BPFEL)).build(),
                new TestProject.RecordingLog());
        Path resources = project.generatedResources().resolve("com/example/ebpf");
        try (Stream<Path> files = Files.list(resources)) {
            assertEquals(List.of("runqlat_bpfel.o"), files.map(p -> p.getFileName().toString()).toList());
        }
        String java = Files.readString(project.generatedSources().resolve("com/example/ebpf/RunqlatBpf.java"));
        assertTrue(java.contains("EmbeddedObject.read(RunqlatBpf.class, RunqlatBpf.class::getResourceAsStream,"
                + " \"runqlat\", \"bpfel\")"), java);

        // As the generated class reads it: the object's name, and the kernel's name of its .rodata map.
        ObjectSpec spec = EmbeddedObject.read(ObjectNameTest.class, name -> open(resources.resolve(name)), "runqlat",
                "bpfel");
        assertEquals("runqlat", spec.name());
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "loading needs root");
        try (BpfObject object = BpfObject.load(spec)) {
            BpfMap rodata = object.maps().stream().filter(m -> m.name().equals(".rodata")).findFirst().orElseThrow();
            assertEquals("runqlat.rodata", rodata.info().name());
        }
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
