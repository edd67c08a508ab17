package io.github.bpf2java.examples.execsnoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RestoresTracefs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link ExecsnoopMain}, run as a user would run it, while the test starts /bin/true. */
@RestoresTracefs
class ExecsnoopMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void printsALineForAnExecOfTrue() throws Exception {
        long[] pid = new long[1];
        CompletableFuture<Void> exec = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(700);
                Process child = new ProcessBuilder("/bin/true").start();
                pid[0] = child.pid();
                child.waitFor(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(0, run("2"), text(err));
        exec.get(30, TimeUnit.SECONDS);

        String printed = text(out);
        assertTrue(printed.startsWith("Tracing exec() for 2 s; Ctrl-C stops early.\n" + ExecsnoopMain.HEADER + "\n"),
                printed);
        Pattern ours = Pattern.compile("^\\d+\\.\\d{6} +" + pid[0] + " +0 +true +/bin/true$", Pattern.MULTILINE);
        assertTrue(ours.matcher(printed).find(), "no line for pid " + pid[0] + ":\n" + printed);
        assertTrue(Pattern.compile("^\\d+ execs in 2 s\\.$", Pattern.MULTILINE).matcher(printed).find(), printed);
        assertEquals("", text(err));
    }

    @Test
    void rejectsADurationThatIsNotAPositiveNumber() {
        assertEquals(2, run("0"));
        assertTrue(text(err).startsWith("'0' is not a positive number of seconds\nusage: java -jar execsnoop.jar"),
                text(err));
    }

    private int run(String... args) {
        return ExecsnoopMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
