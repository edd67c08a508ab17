package io.github.bpf2java.examples.tracepoint;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link PageAllocCounterMain}, run as a user would run it. */
@RestoresTracefs
class PageAllocCounterMainTest {
    private static final Pattern EVERY_SECOND = Pattern.compile("^ +(\\d+) s: (\\d+) page allocations$",
            Pattern.MULTILINE);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void printsAGrowingCountEverySecond() {
        assertEquals(0, run("2"), text(err));

        String printed = text(out);
        assertTrue(printed.startsWith("Counting page allocations (tracepoint kmem/mm_page_alloc) for 2 s"), printed);
        Matcher line = EVERY_SECOND.matcher(printed);
        List<Long> counts = new ArrayList<>();
        for (int second = 1; line.find(); second++) {
            assertEquals(second, Integer.parseInt(line.group(1)), printed);
            counts.add(Long.parseLong(line.group(2)));
        }
        assertEquals(2, counts.size(), printed);
        assertTrue(counts.get(0) <= counts.get(1), printed);
        assertTrue(printed.contains("Detached after 2 s; "), printed);
        assertEquals("", text(err));
    }

    @Test
    void rejectsADurationThatIsNotAPositiveNumber() {
        assertEquals(2, run("-3"));
        assertEquals(2, run("1", "2"));
        assertTrue(text(err).startsWith("'-3' is not a positive number of seconds\n"
                + "usage: java -jar tracepoint-in-c.jar"), text(err));
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
        command.addAll(List.of("-cp", String.join(":", codeSource(PageAllocCounterMain.class),
                codeSource(BpfObject.class), codeSource(Native.class)), PageAllocCounterMain.class.getName(), "1"));
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
        return PageAllocCounterMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
