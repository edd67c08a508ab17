package io.github.bpf2java.ebpf.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Settings read as {@code cat} reads them, which {@code Files.readString} does not for numbers. */
class SysctlTest {

    @Test
    void aNumberOfSeveralDigitsReadsWhole() throws Exception {
        // 100000 by default; the kernel lowers it, never to one digit.
        String name = "kernel.perf_event_max_sample_rate";
        assertEquals(Optional.of(cat(name)), Sysctl.read(name));
        assertTrue(Sysctl.readLong(name).orElseThrow() >= 10, Sysctl.read(name).toString());
        assertEquals(Optional.of(cat("kernel.osrelease")), Sysctl.read("kernel.osrelease"));
    }

    @Test
    void aMissingSettingIsEmpty() {
        assertEquals(Optional.empty(), Sysctl.read("kernel.no_such_setting"));
        assertEquals(Optional.empty(), Sysctl.readLong("kernel.osrelease"), "not a number");
    }

    private static String cat(String name) throws IOException, InterruptedException {
        Process cat = new ProcessBuilder("cat", "/proc/sys/" + name.replace('.', '/')).start();
        String out = new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertEquals(0, cat.waitFor());
        return out;
    }
}
