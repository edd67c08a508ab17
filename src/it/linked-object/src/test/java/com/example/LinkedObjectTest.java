package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.ebpf.Tracer;
import io.github.bpf2java.ebpf.run.TestRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The class generated for an object linked from two C files: the program of main.c calls a function of helpers.c,
 * which calls back into main.c (where the strong multiplier() of helpers.c replaced main.c's __weak one) and
 * updates the map main.c defines and helpers.c declares extern.
 */
class LinkedObjectTest {

    @BeforeEach
    void rootOnLinux() throws IOException {
        String os = System.getProperty("os.name", "");
        Object uid = os.toLowerCase(Locale.ROOT).contains("linux")
                ? Files.getAttribute(Path.of("/proc/self"), "unix:uid") : "not Linux";
        if (!Integer.valueOf(0).equals(uid)) {
            String reason = "loading BPF programs needs root on Linux; uid " + uid;
            if ("1".equals(System.getenv("EBPF_REQUIRE_KERNEL"))) {
                Assertions.fail(reason + " (a failure, not a skip, because EBPF_REQUIRE_KERNEL=1)");
            }
            Assumptions.abort(reason);
        }
    }

    @Test
    void theLinkedProgramRunsAcrossBothFiles() {
        byte[] frame = new byte[64];
        try (Tracer bpf = Tracer.load()) {
            for (int run = 0; run < 4; run++) {
                assertEquals(2, bpf.countFrames().testRun(TestRun.ofData(frame)).returnValue(), "XDP_PASS");
            }
            assertEquals(4L * 3 * frame.length, bpf.totals().get(0).orElseThrow(), "scale() used multiplier() = 3");
            assertEquals(3L * (1 + 2 + 3 + 4), bpf.totals().get(1).orElseThrow(), "main.c's own hits counter");
            assertEquals(4L, bpf.globals().runs());
        }
    }
}
