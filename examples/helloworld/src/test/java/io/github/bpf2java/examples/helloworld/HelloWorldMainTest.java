package io.github.bpf2java.examples.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RequiresTool;
import io.github.bpf2java.ebpf.junit.RestoresTracefs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link HelloWorldMain}, run as a user would run it. */
@RestoresTracefs
class HelloWorldMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void printsTheHelloOfAProgramStartedWhileItRuns() throws Exception {
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> run("2"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!text(out).contains("Printing ") && !status.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long pid = HelloWorldTest.execTrue();

        assertEquals(0, status.get(30, TimeUnit.SECONDS), text(err));
        String printed = text(out);
        assertTrue(printed.contains("Printing /sys/kernel/tracing/trace_pipe for 2 s")
                || printed.contains("Printing /sys/kernel/debug/tracing/trace_pipe for 2 s"), printed);
        assertTrue(printed.contains("bpf_trace_printk: Hello world from " + pid + "\n"), printed);
        assertTrue(printed.endsWith("Detached.\n"), printed);
        assertEquals("", text(err));
    }

    @Test
    void rejectsADurationThatIsNotAPositiveNumber() {
        assertEquals(2, run("soon"));
        assertEquals(2, run("0"));
        assertEquals(2, run("1", "2"));
        assertTrue(text(err).startsWith("'soon' is not a positive number of seconds\nusage: java -jar helloworld.jar"),
                text(err));
        assertEquals("", text(out));
    }

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    @RequiresTool("setpriv")
    void explainsMissingPrivilegesWithoutAStackTrace() throws Exception {
        // Root without any capability: what a user without privileges sees.
        List<String> command = new ArrayList<>(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all",
                "--", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", String.join(":", codeSource(HelloWorldMain.class), codeSource(BpfObject.class),
                codeSource(Native.class)), HelloWorldMain.class.getName(), "1"));
        Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the main did not finish");

        assertEquals(1, child.exitValue(), stderr);
        assertTrue(stderr.startsWith("error: "), stderr);
        assertTrue(stderr.contains("EPERM"), stderr);
        assertTrue(stderr.contains("hint: run as root, or grant CAP_BPF"), stderr);
        assertFalse(stderr.contains("\tat "), "a stack trace: " + stderr);
    }

    private int run(String... args) {
        return HelloWorldMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
