package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The seed's program: a uretprobe on bash's {@code readline}, attached by its section
 * ({@code SEC("uretprobe//bin/bash:readline")}), sees each line typed into an interactive bash this test starts.
 */
class BashReadlineTest {

    @Test
    void uretprobeOnReadlineSeesEachLineAnInteractiveBashReads() throws Exception {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        KernelSupport.assume(Files.isExecutable(Path.of("/bin/bash")), "there is no /bin/bash to trace");
        Process bash = null;
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("readline", BpfFixtures.installedCompilers()
                .get(0)))) {
            AttachReport report = object.attachAll().requireComplete();
            assertEquals("uretprobe /bin/bash:readline", report.links().get(0).description());
            // Started after the attach: a uretprobe fires for calls entered after it exists. An interactive bash
            // reads its commands through readline, even from a pipe.
            bash = new ProcessBuilder("/bin/bash", "--norc", "--noprofile", "-i")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            object.variable("target_tgid").set(u32((int) bash.pid()));

            OutputStream in = bash.getOutputStream();
            in.write("echo bpf2java read this\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            awaitLines(object, 1);
            assertEquals("echo bpf2java read this", lastLine(object));

            in.write("exit\n".getBytes(StandardCharsets.US_ASCII));
            in.close();
            assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "bash exited");
            awaitLines(object, 2);
            assertEquals("exit", lastLine(object));
        } finally {
            if (bash != null) {
                bash.destroyForcibly();
            }
        }
    }

    private static void awaitLines(BpfObject object, long lines) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (object.variable("lines").getLong() < lines && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(lines, object.variable("lines").getLong(), "lines readline returned");
    }

    private static String lastLine(BpfObject object) {
        byte[] raw = object.variable("last_line").get();
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.UTF_8);
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }
}
