package io.github.bpf2java.ebpf.internal.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * That the runtime's buffer owners load the class JDK 17's buffer accesses name, before their first buffer is read
 * (see {@link BufferAccessClasses}): a fresh JVM logs its class loading while it creates a {@link NativeBuffer}, and
 * the class must load then, not never. Without it, a reader loop compiled early keeps every {@code getInt} an
 * out-of-line call, and a benchmark showed that only in some runs.
 */
class BufferAccessClassesTest {
    private static final String SCOPE = "jdk.internal.misc.ScopedMemoryAccess$Scope";
    private static final String BEFORE = "-- creating a NativeBuffer";
    private static final String AFTER = "-- created";

    @Test
    void creatingTheFirstNativeBufferLoadsTheClassBufferAccessesName() throws IOException, InterruptedException {
        assumeTrue(Runtime.version().feature() < 19, "JDK " + Runtime.version().feature()
                + " buffer accesses name classes loaded at start-up");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xlog:class+load=info", "-cp",
                System.getProperty("java.class.path"), FirstBuffer.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
        assertEquals(0, child.exitValue(), output);
        List<String> lines = output.lines().toList();
        int before = lines.indexOf(BEFORE);
        int after = lines.indexOf(AFTER);
        assertTrue(before >= 0 && after > before, output);
        assertTrue(lines.subList(0, before).stream().noneMatch(l -> l.contains(SCOPE + " ")),
                "the child loaded " + SCOPE + " before touching the runtime; this test can no longer tell");
        assertTrue(lines.subList(before, after).stream().anyMatch(l -> l.contains(SCOPE + " ")),
                SCOPE + " was not loaded while the first NativeBuffer was created");
    }

    /** The child: creates one buffer between two markers. */
    static final class FirstBuffer {
        public static void main(String[] args) {
            System.out.println(BEFORE);
            System.out.flush();
            try (NativeBuffer buffer = new NativeBuffer(8)) {
                buffer.putInt(0, 1);
            }
            System.out.println(AFTER);
        }
    }
}
