package io.github.bpf2java.examples.uretprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.AttachReport;
import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RequiresTool;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example against the running kernel: lines typed into a bash the test starts come out in Java. */
@RequiresCapability(Capability.SYS_ADMIN)
@RequiresTool("bash")
class BashReadlineTest {

    @Test
    void everyLineTheBashReadsIsQueuedWithItsPid() throws Exception {
        try (BashReadline readline = BashReadline.load()) {
            AttachReport report = readline.attach().requireComplete();
            assertEquals("uretprobe /bin/bash:readline", report.links().get(0).description());

            // Started after the attach: a uretprobe catches the calls entered after it exists.
            Process bash = interactiveBash("echo first line", "echo second line", "exit");
            try {
                assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "bash exited");
                List<String> seen = new ArrayList<>();
                for (Optional<BashReadline.Event> line = readline.lines().pop(); line.isPresent();
                        line = readline.lines().pop()) {
                    // Other shells on the machine may type too; ours are the lines of its pid.
                    if (line.get().pid() == bash.pid()) {
                        seen.add(line.get().line());
                    }
                }
                assertEquals(List.of("echo first line", "echo second line", "exit"), seen);
            } finally {
                bash.destroyForcibly();
            }
        }
    }

    @Test
    void mainPrintsTheLinesOfABashWithItsPid() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream printer = new PrintStream(out, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> main = CompletableFuture.supplyAsync(() -> BashReadlineMain.run(
                new String[] {"4"}, printer, new PrintStream(err, true, StandardCharsets.UTF_8)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString(StandardCharsets.UTF_8).contains("Ctrl-C stops") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Process bash = interactiveBash("echo hello from the test", "exit");
        try {
            assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "bash exited");
            assertEquals(0, main.get(60, TimeUnit.SECONDS), "exit status; stderr: " + err);
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("pid " + bash.pid() + ": echo hello from the test\n"), printed);
            assertTrue(printed.contains("pid " + bash.pid() + ": exit\n"), printed);
            assertTrue(printed.endsWith("Detached.\n"), printed);
        } finally {
            bash.destroyForcibly();
        }
    }

    @Test
    void badArgumentsAreExplained() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BashReadlineMain.run(new String[] {"soon"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'soon' is not a positive number of seconds"));
    }

    /** An interactive bash fed {@code lines}; it reads them through readline even from a pipe. */
    private static Process interactiveBash(String... lines) throws Exception {
        Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-i").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = bash.getOutputStream()) {
            for (String line : lines) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return bash;
    }
}
