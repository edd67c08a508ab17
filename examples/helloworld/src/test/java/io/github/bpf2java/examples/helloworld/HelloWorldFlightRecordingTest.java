package io.github.bpf2java.examples.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RestoresTracefs;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example run as an operator would profile it: a separate JVM started with {@code -XX:StartFlightRecording} and
 * the runtime's {@code bpf2java.jfc} settings; the recording it leaves is read back with {@code jdk.jfr.consumer}.
 */
@RestoresTracefs
class HelloWorldFlightRecordingTest {
    private static final String PREFIX = "io.github.bpf2java.";

    @TempDir
    Path scratch;

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void aRecordingOfTheRunHoldsTheLoadAttachAndDetachEvents() throws Exception {
        Path settings = scratch.resolve("bpf2java.jfc");
        try (InputStream in = BpfObject.class.getResourceAsStream("bpf2java.jfc")) {
            assertTrue(in != null, "the runtime jar carries io/github/bpf2java/ebpf/bpf2java.jfc");
            Files.copy(in, settings);
        }
        Path recording = scratch.resolve("run.jfr");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:StartFlightRecording:settings=" + settings + ",filename=" + recording));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", String.join(":", codeSource(HelloWorldMain.class), codeSource(BpfObject.class),
                codeSource(Native.class)), HelloWorldMain.class.getName(), "1"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the example did not finish");
        assertEquals(0, child.exitValue(), output);

        List<RecordedEvent> events = RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().startsWith(PREFIX)).collect(Collectors.toList());
        RecordedEvent load = only(events, "ObjectLoad");
        assertTrue(load.getBoolean("succeeded"), load::toString);
        assertTrue(load.getString("object").startsWith("hello"), load::toString);
        assertTrue(load.getLong("verifiedInstructions") > 0, load::toString);
        RecordedEvent attach = only(events, "Attach");
        RecordedEvent detach = only(events, "Detach");
        assertEquals(attach.getString("link"), detach.getString("link"));
        assertTrue(attach.getStartTime().isBefore(detach.getStartTime()), () -> attach + " " + detach);
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name) {
        List<RecordedEvent> named = events.stream().filter(e -> e.getEventType().getName().equals(PREFIX + name))
                .collect(Collectors.toList());
        assertEquals(1, named.size(), () -> name + " events in " + events);
        return named.get(0);
    }

    private static String codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
