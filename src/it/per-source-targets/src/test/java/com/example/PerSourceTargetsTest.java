package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.ebpf.Counter;
import com.example.ebpf.KprobeOpens;
import com.example.ebpf.UprobeGetenv;
import io.github.bpf2java.ebpf.BpfLink;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One project, three sources with different targets: a plain one (byte orders), one found to need an architecture
 * (BPF_KPROBE) and one configured for amd64 (a uprobe reading a register). Each generated class loads the object
 * built for this host, and each loads into the kernel.
 */
class PerSourceTargetsTest {

    @BeforeEach
    void rootOnLinuxAmd64() throws IOException {
        String os = System.getProperty("os.name", "");
        Object uid = os.toLowerCase(Locale.ROOT).contains("linux")
                ? Files.getAttribute(Path.of("/proc/self"), "unix:uid") : "not Linux";
        String reason = null;
        if (!Integer.valueOf(0).equals(uid)) {
            reason = "loading BPF programs needs root on Linux; uid " + uid;
        } else if (!System.getProperty("os.arch").equals("amd64")) {
            reason = "uprobe_getenv.c is configured for amd64 only; os.arch " + System.getProperty("os.arch");
        }
        if (reason != null) {
            if ("1".equals(System.getenv("EBPF_REQUIRE_KERNEL"))) {
                Assertions.fail(reason + " (a failure, not a skip, because EBPF_REQUIRE_KERNEL=1)");
            }
            Assumptions.abort(reason);
        }
    }

    @Test
    void thePlainSourceUsesTheByteOrderObjectAndCountsOpens() throws IOException {
        assertEquals(ByteOrder.nativeOrder(), Counter.spec().byteOrder());
        try (Counter bpf = Counter.load();
                BpfLink link = bpf.countOpenat().attachTracepoint("syscalls", "sys_enter_openat")) {
            for (int i = 0; i < 5; i++) {
                Files.readAllBytes(Path.of("/proc/self/stat"));
            }
            assertTrue(bpf.calls().get(0).orElse(0L) >= 5, "openat calls counted");
        }
    }

    @Test
    void theKprobeSourceLoadsFromItsArchitectureObject() {
        try (KprobeOpens bpf = KprobeOpens.load()) {
            assertEquals("kprobe/do_sys_openat2", bpf.onOpenat2().spec().sectionName());
            if (!Files.exists(Path.of("/sys/bus/event_source/devices/kprobe"))) {
                // Loaded; this kernel has kprobes compiled out, and says so when asked to attach one.
                NotSupportedException e = assertThrows(NotSupportedException.class,
                        () -> bpf.onOpenat2().attachKprobe("do_sys_openat2"));
                assertTrue(e.getMessage().contains("kprobes are not supported by this kernel"), e.getMessage());
                return;
            }
            try (BpfLink link = bpf.onOpenat2().attachKprobe("do_sys_openat2")) {
                Files.readAllBytes(Path.of("/proc/self/stat"));
                assertTrue(bpf.opens().get(0).orElse(0L) >= 1, "openat2 calls counted");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void theConfiguredUprobeSourceReadsGetenvsArgument() throws Exception {
        try (UprobeGetenv bpf = UprobeGetenv.load();
                BpfLink link = bpf.onGetenv().attachUprobe("libc.so.6", "getenv")) {
            // ls calls setlocale(LC_ALL, ""), which asks getenv for LC_ALL, LC_* and LANG.
            Process ls = new ProcessBuilder("ls", "/").redirectErrorStream(true).start();
            ls.getInputStream().readAllBytes();
            assertTrue(ls.waitFor(30, TimeUnit.SECONDS));
            assertTrue(bpf.lookups().get(0).orElse(0L) >= 1, "getenv calls with a name seen");
        }
    }
}
