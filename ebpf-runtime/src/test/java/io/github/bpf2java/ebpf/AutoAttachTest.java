package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.LinkTarget;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.NativeFixtures;
import io.github.bpf2java.ebpf.testing.TracedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BpfObject#attachAll()} on a multi-program object: it attaches every program whose section says where
 * (a tracepoint, a uprobe on a library function by library name, the seed's uretprobe on bash) and reports every other
 * one with the method that attaches it; nothing is skipped silently.
 */
class AutoAttachTest {

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
    }

    @Test
    void attachesWhatTheSectionsNameAndReportsTheRestWithTheMethodToCall() throws Exception {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("auto_attach",
                BpfFixtures.installedCompilers().get(0)))) {
            AttachReport report = object.attachAll();

            List<String> attached = report.links().stream().map(BpfLink::description).toList();
            assertEquals(3, attached.size(), attached.toString());
            assertEquals("tracepoint syscalls/sys_enter_getppid", attached.get(0));
            assertTrue(attached.get(1).startsWith("uprobe /") && attached.get(1).endsWith("libc.so.6:getenv"),
                    attached.get(1));
            assertEquals("uretprobe /bin/bash:readline", attached.get(2));
            assertEquals(report.links(), object.links(), "the object lists the links it owns");
            if (KernelVersion.running().atLeast(KernelVersion.of(6, 6))) { // perf-event links report from 6.6
                assertEquals(new LinkTarget.Tracepoint("sys_enter_getppid"), report.links().get(0).info().target());
                LinkTarget.Uprobe readline = assertInstanceOf(LinkTarget.Uprobe.class,
                        report.links().get(2).info().target());
                assertTrue(readline.binary().endsWith("bash") && readline.returnProbe(), readline.toString());
            } else {
                assertEquals(new LinkTarget.Unreported(), report.links().get(0).info().target());
            }

            assertFalse(report.complete());
            assertEquals(List.of(
                    "xdp program 'pass_packets' (section 'xdp') needs a network interface: "
                            + "program.attachXdp(\"eth0\")",
                    "perf_event program 'sample' (section 'perf_event') needs a perf event: "
                            + "program.attachPerfEventOnEveryCpu(PerfEventSpec.software(SoftwareEvent.CPU_CLOCK)"
                            + ".sampleFrequency(99)) or attachPerfEvent(spec, cpu)",
                    "kprobe program 'some_kernel_function' (section 'kprobe') needs a kernel function: "
                            + "program.attachKprobe(\"do_unlinkat\")",
                    "uprobe program 'some_user_function' (section 'uprobe') needs a binary and function: "
                            + "program.attachUprobe(\"/path/to/binary\", \"function\")"),
                    report.unattached().stream().map(AttachReport.Unattached::message).toList());
            BpfException strict = assertThrows(BpfException.class, report::requireComplete);
            assertTrue(strict.getMessage().contains("4 programs were not attached"), strict.getMessage());
            assertTrue(strict.getMessage().contains("attachXdp"), strict.getMessage());
            BpfException direct = assertThrows(BpfException.class, () -> object.program("pass_packets").attach());
            assertTrue(direct.getMessage().contains("cannot attach by itself: it needs a network interface"),
                    direct.getMessage());
            assertEquals("call program.attachXdp(\"eth0\")", direct.hint().orElseThrow());

            // The attached ones work: the tracepoint and the library uprobe count.
            for (int i = 0; i < 3; i++) {
                assertEquals(0, new ProcessBuilder("sh", "-c", "echo $PPID").start().waitFor());
            }
            assertTrue(object.variable("getppid_calls").getLong() >= 3, "getppid by sh counted");
            Path target = NativeFixtures.compile("probe_target", NativeFixtures.Linking.PIE);
            try (TracedProcess process = TracedProcess.start(target, "5")) {
                process.go();
            }
            assertTrue(object.variable("getenv_calls").getLong() >= 5, "getenv of the target counted");
            report.links().get(1).close();
            assertEquals(List.of(report.links().get(0), report.links().get(2)), object.links(), "less a closed one");
        }
    }

    @Test
    void theUnattachedProgramsAreLoggedAtInfoOnceAndAtDebugWhenTheSameObjectReportsThemAgain() throws Exception {
        Logger logger = Logger.getLogger(BpfObject.class.getName());
        Level before = logger.getLevel();
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().contains("programs; xdp program 'pass_packets'")) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        try {
            for (int round = 0; round < 3; round++) {
                try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("auto_attach",
                        BpfFixtures.installedCompilers().get(0)))) {
                    object.attachAll();
                }
            }
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(before);
        }
        assertEquals(3, records.size(), "each attachAll() logs what it left");
        // Another test of this JVM may have been first: then every record here is a repeat.
        long info = records.stream().filter(r -> r.getLevel() == Level.INFO).count();
        assertTrue(info <= 1, records.stream().map(r -> r.getLevel().toString()).toList().toString());
        assertEquals(Level.FINE, records.get(2).getLevel(), "a repeat is logged at DEBUG");
        assertTrue(records.get(0).getMessage().startsWith("auto_attach: attached 3 of 7 programs; "),
                records.get(0).getMessage());
    }

    @Test
    void twoProgramsOnOneEventAreAttachedWithAWarningThatEachEventIsHandledTwice() throws Exception {
        Logger logger = Logger.getLogger(BpfObject.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        List<String> sources = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().contains("handled twice")) {
                    records.add(record);
                    // Asked here, while the logging call is on the stack, from which JUL infers it.
                    sources.add(record.getSourceClassName());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level before = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        try {
            // The second time round the same warning is a repeat: logged at DEBUG, so that an application reloading
            // its object (or a churn test) does not fill its log with it.
            for (int load = 0; load < 2; load++) {
                try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("alternatives",
                        BpfFixtures.installedCompilers().get(0)))) {
                    assertEquals(2, object.attachAll().links().size());
                    Process child = new ProcessBuilder("/bin/true").start();
                    assertEquals(0, child.waitFor());
                    // Other processes' execs count too, so only that both programs saw it.
                    assertTrue(object.variable("by_tracepoint").getLong() >= 1,
                            "the exec reached the tracepoint program");
                    assertTrue(object.variable("by_raw_tracepoint").getLong() >= 1,
                            "and the raw tracepoint program");
                }
            }
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(before);
        }
        assertEquals(List.of(Level.WARNING, Level.FINE), records.stream().map(LogRecord::getLevel).toList(),
                "warned once, then a repeat at DEBUG");
        assertEquals(List.of(BpfObject.class.getName(), BpfObject.class.getName()), sources,
                "the records name the class that logged them");
        assertEquals("alternatives: programs 'exec_by_tracepoint' (section 'tp/sched/sched_process_exec') and "
                + "'exec_by_raw_tracepoint' (section 'raw_tp/sched_process_exec') both run on tracepoint "
                + "sched_process_exec, so each event is handled "
                + "twice; if they are alternatives of one another, load one of them (LoadOptions.builder()"
                + ".programs(...), or the generated class's configure(b -> b.programs(...)))",
                records.get(0).getMessage());
    }

    @Test
    void aSectionThatSaysWhereButCannotAttachFailsLoudlyAndUndoesTheRest() throws Exception {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("kprobe_section",
                BpfFixtures.installedCompilers().get(0)))) {
            if (Files.exists(Path.of("/sys/bus/event_source/devices/kprobe"))) {
                AttachReport report = object.attachAll().requireComplete();
                assertEquals(List.of("tracepoint syscalls/sys_enter_getppid", "kprobe do_sys_openat2"),
                        report.links().stream().map(BpfLink::description).toList());
                Files.readString(Path.of("/proc/self/stat"));
                assertTrue(object.variable("openat_calls").getLong() > 0, "the kprobe counts");
                return;
            }
            NotSupportedException e = assertThrows(NotSupportedException.class, object::attachAll);
            assertTrue(e.getMessage().contains("kprobes are not supported by this kernel"), e.getMessage());
            assertTrue(e.getMessage().startsWith("program 'on_openat' (section 'kprobe/do_sys_openat2'): "),
                    e.getMessage());
            long before = object.variable("getppid_calls").getLong();
            assertEquals(0, new ProcessBuilder("sh", "-c", "echo $PPID").start().waitFor());
            assertEquals(before, object.variable("getppid_calls").getLong(),
                    "the tracepoint attached before the failure was detached again");
        }
    }

    @Test
    void aFailureToAttachBySectionNamesTheProgramAndItsSection() {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("missing_probe_target",
                BpfFixtures.installedCompilers().get(0)))) {
            NotFoundException e = assertThrows(NotFoundException.class, object::attachAll);
            assertTrue(e.getMessage().startsWith("program 'probe_of_nothing' (section "
                    + "'uprobe//bin/bash:no_such_function_in_bash'): "), e.getMessage());
            assertTrue(e.getMessage().contains("has no function 'no_such_function_in_bash'"), e.getMessage());
            assertTrue(e.hint().orElseThrow().contains("nm"), e.hint().orElseThrow());
        }
    }
}
