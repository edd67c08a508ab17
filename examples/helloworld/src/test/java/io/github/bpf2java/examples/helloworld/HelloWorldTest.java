package io.github.bpf2java.examples.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.TracePipe;
import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RestoresTracefs;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The generated {@link HelloWorld} class, loaded into the running kernel. */
@RestoresTracefs
class HelloWorldTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void embedsOneTracepointProgramForExecve() {
        ObjectSpec spec = HelloWorld.spec();
        assertEquals("GPL", spec.license());
        assertEquals(1, spec.programs().size());
        ProgramSpec program = spec.programs().get(0);
        assertEquals("say_hello", program.name());
        assertEquals("tracepoint/syscalls/sys_enter_execve", program.sectionName());
        assertEquals(Optional.of(ProgramType.TRACEPOINT), program.type());
    }

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void saysHelloFromEveryExecOfTrue() throws Exception {
        try (HelloWorld hello = HelloWorld.load(); TracePipe pipe = TracePipe.open()) {
            assertEquals("say_hello", hello.sayHello().name());
            assertEquals(1, hello.attach().links().size());
            for (int run = 0; run < 2; run++) {
                long pid = execTrue();
                String line = awaitHello(pipe, pid);
                assertTrue(line.contains("bpf_trace_printk: Hello world from " + pid), line);
            }
        }
    }

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void staysQuietOnceClosed() throws Exception {
        try (TracePipe pipe = TracePipe.open()) {
            try (HelloWorld hello = HelloWorld.load()) {
                hello.attach();
                awaitHello(pipe, execTrue());
            }
            long pid = execTrue();
            String hello = "Hello world from " + pid;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            long left;
            while ((left = end - System.nanoTime()) > 0) {
                pipe.readLine(Duration.ofNanos(left)).ifPresent(line -> assertFalse(line.endsWith(hello),
                        "the program still runs after close: " + line));
            }
        }
    }

    /** Starts {@code /bin/true}, waits for it and returns its process id. */
    static long execTrue() throws Exception {
        Process child = new ProcessBuilder("/bin/true").start();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "/bin/true did not finish");
        return child.pid();
    }

    /** Reads the pipe until the program's line for {@code pid}; other processes' lines are passed over. */
    static String awaitHello(TracePipe pipe, long pid) throws InterruptedException {
        String hello = "Hello world from " + pid;
        List<String> others = new ArrayList<>();
        long end = System.nanoTime() + PATIENCE.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            Optional<String> line = pipe.readLine(Duration.ofNanos(left));
            if (line.isPresent() && line.get().endsWith(hello)) {
                return line.get();
            }
            line.filter(l -> others.size() < 20).ifPresent(others::add);
        }
        throw new AssertionError("no line ending in '" + hello + "' within " + PATIENCE + "; read " + others);
    }
}
