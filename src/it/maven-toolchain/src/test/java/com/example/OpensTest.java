package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.ebpf.Opens;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The program compiled by the Maven clang, loaded into the running kernel and counting this process's opens. */
class OpensTest {
    private static final int SELF = (int) ProcessHandle.current().pid();

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
    void theBuildRanWithoutClangOnThePath() {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            for (String tool : List.of("clang", "llvm-strip", "llvm-objcopy", "bpftool")) {
                assertTrue(!Files.exists(Path.of(dir, tool)), tool + " is on the PATH in " + dir);
            }
        }
    }

    @Test
    void countsTheOpensOfThisProcess() throws Exception {
        ObjectSpec spec = Opens.spec();
        assertEquals("tracepoint/syscalls/sys_enter_openat", spec.program("count_opens").orElseThrow().sectionName());
        try (Opens bpf = Opens.options().targetTgid(SELF).load()) {
            bpf.attach();
            for (int i = 0; i < 5; i++) {
                Files.readAllBytes(Path.of("/proc/self/stat"));
            }
            long opens = bpf.opens().get(0).orElseThrow();
            assertTrue(opens >= 5, "the program counted " + opens + " opens of this process");
        }
    }
}
