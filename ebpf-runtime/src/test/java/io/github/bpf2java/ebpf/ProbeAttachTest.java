package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.HardwareEvent;
import io.github.bpf2java.ebpf.attach.LinkTarget;
import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.attach.PerfEventSpec;
import io.github.bpf2java.ebpf.attach.SoftwareEvent;
import io.github.bpf2java.ebpf.attach.UprobeOptions;
import io.github.bpf2java.ebpf.attach.UsdtOptions;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.probe.KernelFeature;
import io.github.bpf2java.ebpf.internal.probe.KernelFeatures;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.AlsoInGuestKernel;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.NativeFixtures;
import io.github.bpf2java.ebpf.testing.NativeFixtures.Linking;
import io.github.bpf2java.ebpf.testing.OpenDescriptors;
import io.github.bpf2java.ebpf.testing.TracedProcess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Uprobes, uretprobes, USDT, uprobe.multi, kprobes and perf events attached through the facade to real processes
 * and the real kernel; every test checks what the programs recorded. Where the running kernel lacks a feature
 * (kprobes compiled out, no hardware counters, uprobe.multi before 6.6) the test asserts the clear error instead.
 */
class ProbeAttachTest {
    // Slots of probes.c's `hits` map.
    private static final int UPROBE_CALLS = 0;
    private static final int UPROBE_ARG_SUM = 1;
    private static final int URETPROBE_CALLS = 2;
    private static final int URETPROBE_LAST = 3;
    private static final int LIBC_CALLS = 4;
    private static final int USDT_CALLS = 5;
    private static final int USDT_ARG0_SUM = 6;
    private static final int USDT_ARG1_LAST = 7;
    private static final int USDT_ARG2_LAST = 8;
    private static final int USDT_COOKIE = 9;
    private static final int PERF_SAMPLES = 10;
    private static final int KPROBE_CALLS = 11;
    private static final int MULTI_CALLS = 12;
    private static final int COOKIE_LAST = 13;
    private static final int GUARDED_CALLS = 14;
    private static final int TWICE_CALLS = 15;
    private static final int TWICE_SUM = 16;
    private static final int COUNT = 25;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
    }

    static ObjectSpec probes() {
        return BpfFixtures.hostSpec("probes", BpfFixtures.installedCompilers().get(0));
    }

    @ParameterizedTest
    @EnumSource(Linking.class)
    void uprobeAndUretprobeOnATestBinarySeeArgumentsReturnValuesAndTheCookie(Linking linking) {
        Path target = NativeFixtures.compile("probe_target", linking);
        try (BpfObject object = BpfObject.load(probes());
                TracedProcess process = TracedProcess.start(target, Integer.toString(COUNT))) {
            BpfLink entry = object.program("on_probed_add").attachUprobe(target.toString(), "probed_add",
                    UprobeOptions.defaults().pid(process.pid()).cookie(0xC0FFEE));
            // A relative path is made absolute: the kernel keeps it as given and reports it to any process.
            String relative = Path.of("").toAbsolutePath().relativize(target).toString();
            BpfLink exit = object.program("on_probed_add_return").attachUretprobe(relative, "probed_add");
            assertTrue(entry.description().startsWith("uprobe " + target + ":probed_add"), entry.description());
            if (KernelVersion.running().atLeast(KernelVersion.of(6, 6))) {
                assertEquals(target.toString(), assertInstanceOf(LinkTarget.Uprobe.class, exit.info().target())
                        .binary());
            }
            process.go();

            long argSum = 0;
            for (int i = 0; i < COUNT; i++) {
                argSum += i + 100;
            }
            assertEquals(COUNT, hit(object, UPROBE_CALLS), "probed_add entered once per call");
            assertEquals(argSum, hit(object, UPROBE_ARG_SUM), "BPF_KPROBE saw both arguments of every call");
            assertEquals(0xC0FFEE, hit(object, COOKIE_LAST), "bpf_get_attach_cookie");
            assertEquals(COUNT, hit(object, URETPROBE_CALLS), "probed_add returned once per call");
            assertEquals(COUNT - 1 + 100, hit(object, URETPROBE_LAST), "the last return value");

            entry.close();
            exit.close();
            try (TracedProcess again = TracedProcess.start(target, "3")) {
                again.go();
            }
            assertEquals(COUNT, hit(object, UPROBE_CALLS), "closed links no longer fire");
            assertEquals(COUNT, hit(object, URETPROBE_CALLS));
        }
    }

    @Test
    void uprobeOnALibcFunctionByLibraryNameCountsOnlyTheProcessItFilters() {
        Path target = NativeFixtures.compile("probe_target", Linking.PIE);
        try (BpfObject object = BpfObject.load(probes());
                TracedProcess watched = TracedProcess.start(target, Integer.toString(COUNT));
                TracedProcess other = TracedProcess.start(target, Integer.toString(COUNT))) {
            BpfLink link = object.program("on_libc_call").attachUprobe("libc.so.6", "getenv",
                    UprobeOptions.defaults().pid(watched.pid()));
            assertTrue(link.description().contains("libc.so.6:getenv of pid " + watched.pid()), link.description());
            assertTrue(watched.go().endsWith(" seen"), "the target called getenv");
            other.go();
            assertEquals(COUNT, hit(object, LIBC_CALLS), "getenv calls of the watched process only");
        }
    }

    @Test
    void anIndirectFunctionOfTheCLibraryIsProbedAtTheImplementationThisMachineChose() {
        Path target = NativeFixtures.compile("string_user", Linking.PIE);
        try (BpfObject object = BpfObject.load(probes());
                TracedProcess process = TracedProcess.start(target, "1000")) {
            // strlen's symbol is its resolver's (STT_GNU_IFUNC), which a process runs once, not on each call.
            BpfLink link = object.program("on_libc_call").attachUprobe("libc.so.6", "strlen",
                    UprobeOptions.defaults().pid(process.pid()));
            assertTrue(link.description().contains("(indirect: the implementation chosen here, at 0x"),
                    link.description());
            process.go();
            long calls = hit(object, LIBC_CALLS);
            // The program's own calls, and any the C library makes itself through the same implementation.
            assertTrue(calls >= 1000 && calls <= 1020, calls + " strlen calls seen of 1000");
        }
    }

    @Test
    void missingFunctionsAndBinariesAreNamed() {
        Path target = NativeFixtures.compile("probe_target", Linking.PIE);
        try (BpfObject object = BpfObject.load(probes())) {
            BpfProgram program = object.program("on_probed_add");
            NotFoundException noFunction = assertThrows(NotFoundException.class,
                    () -> program.attachUprobe(target.toString(), "no_such_function"));
            assertTrue(noFunction.getMessage().contains("no function 'no_such_function'"), noFunction.getMessage());
            assertTrue(noFunction.hint().orElseThrow().contains("nm"), noFunction.hint().orElseThrow());
            NotFoundException noLibrary = assertThrows(NotFoundException.class,
                    () -> program.attachUprobe("libno-such-library.so.9", "f"));
            assertTrue(noLibrary.getMessage().contains("cannot find shared library 'libno-such-library.so.9'"),
                    noLibrary.getMessage());
            NotFoundException noVersion = assertThrows(NotFoundException.class,
                    () -> program.attachUprobe("libc.so.6", "getenv@@GLIBC_9.9"));
            assertTrue(noVersion.hint().orElseThrow().matches("it has getenv@@GLIBC_[0-9.]+; name one of those, or "
                    + "the bare name for the default version"), noVersion.hint().orElseThrow());
            // An offset past the function's end (its symbol's size) is refused before the kernel sees it.
            long size = target.toFile().length();
            IllegalArgumentException pastTheFunction = assertThrows(IllegalArgumentException.class,
                    () -> program.attachUprobe(target.toString(), "probed_add", UprobeOptions.defaults().offset(size)));
            assertTrue(pastTheFunction.getMessage().matches("offset " + size + " is past the end of probed_add in "
                    + Pattern.quote(target.toString()) + ", which is [0-9]+ bytes long"), pastTheFunction.getMessage());
            // The kernel says EINVAL; the message says the offset lies past the file's end.
            KernelException pastTheEnd = assertThrows(KernelException.class, () -> program.attachUprobeAt(
                    target.toString(), size + 4096, UprobeOptions.defaults()));
            assertTrue(pastTheEnd.getMessage().contains(" is past the end of " + target + " (" + size + " bytes)"),
                    pastTheEnd.getMessage());
            assertThrows(IllegalArgumentException.class, () -> program.attachUprobeAt(target.toString(), -5,
                    UprobeOptions.defaults()), "a negative file offset");
        }
    }

    @Test
    @AlsoInGuestKernel
    void usdtProbesHandTheirArgumentsAndCookieToAnUnmodifiedLibbpfProgram() {
        Path target = NativeFixtures.compile("probe_target", Linking.PIE);
        try (BpfObject object = BpfObject.load(probes());
                TracedProcess process = TracedProcess.start(target, Integer.toString(COUNT))) {
            BpfLink tick = object.program("on_tick").attachUsdt(target.toString(), "bpf2java", "tick",
                    UsdtOptions.defaults().pid(process.pid()).cookie(42));
            BpfLink guarded = object.program("on_guarded").attachUsdt(target.toString(), "bpf2java", "guarded");
            String[] out = process.go().split(" ");

            long total = 0;
            long indexSum = 0;
            for (int i = 0; i < COUNT; i++) {
                total += i + 100 + 2L * i;
                indexSum += i;
            }
            assertEquals(Long.toString(total), out[0]);
            assertEquals(COUNT, hit(object, USDT_CALLS), "one hit per probe firing");
            assertEquals(indexSum, hit(object, USDT_ARG0_SUM), "bpf_usdt_arg 0: the loop index");
            assertEquals(total, hit(object, USDT_ARG1_LAST), "bpf_usdt_arg 1: the running total");
            assertEquals(-5, hit(object, USDT_ARG2_LAST), "bpf_usdt_arg 2: a signed constant");
            assertEquals(42, hit(object, USDT_COOKIE), "bpf_usdt_cookie");
            assertEquals(Integer.toString(COUNT), out[1], "the kernel raised the probe's semaphore while attached");
            assertEquals(COUNT, hit(object, GUARDED_CALLS));
            if (BpfFeatures.supports(BpfFeatures.Feature.UPROBE_MULTI_LINK)) {
                assertEquals(LinkType.UPROBE_MULTI, tick.info().type().orElseThrow(), "one link, described");
            } else {
                assertThrows(NotSupportedException.class, tick::info, "a USDT attachment is one uprobe per site");
            }

            tick.close();
            guarded.close();
            // The kernel unregisters a closed uprobe when the last reference to its perf event goes, which a
            // loaded machine may defer briefly: a process started after that sees the semaphore at 0.
            String semaphore = "";
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            do {
                try (TracedProcess again = TracedProcess.start(target, "4")) {
                    semaphore = again.go().split(" ")[1];
                }
            } while (!semaphore.equals("0") && System.nanoTime() < deadline);
            assertEquals("0", semaphore, "the semaphore drops to 0 once detached");
            assertEquals(COUNT, hit(object, USDT_CALLS));
        }
    }

    @Test
    @AlsoInGuestKernel
    void usdtCallSitesAreOneUprobeMultiLinkWhereTheKernelHasThemAndOneUprobeEachElsewhere() {
        boolean multi = BpfFeatures.supports(BpfFeatures.Feature.UPROBE_MULTI_LINK);
        attachesBothCallSitesOfTwice(multi);
        if (multi) {
            // What a kernel without uprobe.multi gets: the programs load as before, a uprobe per call site.
            try (KernelFeatures.Forced older = KernelFeatures.forceOff(KernelFeature.UPROBE_MULTI_LINK)) {
                attachesBothCallSitesOfTwice(false);
            }
        }
    }

    private static void attachesBothCallSitesOfTwice(boolean multi) {
        Path target = NativeFixtures.compile("probe_target", Linking.PIE);
        try (BpfObject object = BpfObject.load(probes());
                TracedProcess process = TracedProcess.start(target, Integer.toString(COUNT))) {
            List<String> loaded = OpenDescriptors.kernelObjects();
            BpfProgram program = object.program("on_twice");
            BpfLink twice = program.attachUsdt(target.toString(), "bpf2java", "twice",
                    UsdtOptions.defaults().pid(process.pid()));
            assertTrue(twice.description().endsWith(" of pid " + process.pid() + " (2 call sites)"),
                    twice.description());
            List<String> added = new java.util.ArrayList<>(OpenDescriptors.kernelObjects());
            loaded.forEach(added::remove);
            if (multi) {
                assertEquals(List.of("anon_inode:bpf_link"), added, "one uprobe.multi link for both call sites");
                BpfLink.Info info = twice.info();
                assertEquals(LinkType.UPROBE_MULTI, info.type().orElseThrow());
                assertEquals(program.id(), info.programId());
                if (KernelVersion.running().atLeast(KernelVersion.of(6, 8))) {
                    assertEquals(new LinkTarget.UprobeMulti(target.toString(), 2, false, process.pid()),
                            info.target(), "both call sites, the one process");
                }
                NotSupportedException pin = assertThrows(NotSupportedException.class,
                        () -> twice.pin(Path.of("/sys/fs/bpf/bpf2java-usdt-never-pinned")));
                assertTrue(pin.getMessage().contains("__bpf_usdt_specs"), pin.getMessage());
                // Such a program cannot be a perf-event uprobe: a uprobe of it is a uprobe.multi link of one offset.
                try (BpfLink single = program.attachUprobe(target.toString(), "probed_add")) {
                    assertEquals(LinkType.UPROBE_MULTI, single.info().type().orElseThrow());
                }
            } else {
                assertEquals(List.of("anon_inode:[perf_event]", "anon_inode:[perf_event]"),
                        added.stream().filter(d -> d.contains("perf_event")).toList(), "a uprobe per call site");
                assertThrows(NotSupportedException.class, twice::info);
            }
            process.go();
            long indexSum = (long) COUNT * (COUNT - 1) / 2;
            assertEquals(2L * COUNT, hit(object, TWICE_CALLS), "both sites fire only while the semaphore is raised");
            assertEquals(indexSum - 1000L * COUNT, hit(object, TWICE_SUM),
                    "each site read through its own argument spec (register i, constant -1000): a cookie per site");
            twice.close();
            assertEquals(loaded, OpenDescriptors.kernelObjects(), "closing released the link and its events");
        }
    }

    @Test
    @AlsoInGuestKernel
    void usdtNamesWhatIsMissing() {
        Path target = NativeFixtures.compile("probe_target", Linking.PIE);
        try (BpfObject object = BpfObject.load(probes())) {
            BpfException global = assertThrows(BpfException.class,
                    () -> object.program("on_tick").attachUsdt(target.toString(), "bpf2java", "global"));
            assertTrue(global.getMessage().startsWith("USDT probe bpf2java:global of " + target + " at 0x"),
                    global.getMessage());
            assertTrue(global.getMessage().contains("it is variable probe_target_global in memory"),
                    global.getMessage());
            assertTrue(global.hint().orElseThrow().contains("long copy = probe_target_global"), global.toString());
            NotFoundException e = assertThrows(NotFoundException.class,
                    () -> object.program("on_tick").attachUsdt(target.toString(), "bpf2java", "nope"));
            assertTrue(e.hint().orElseThrow().contains("bpf2java:tick"), e.hint().orElseThrow());
        }
        // A uprobe program of an object without usdt.bpf.h's maps.
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("readline", BpfFixtures.installedCompilers()
                .get(0)))) {
            BpfException e = assertThrows(BpfException.class, () -> object.programs().get(0).attachUsdt(
                    target.toString(), "bpf2java", "tick"));
            assertTrue(e.hint().orElseThrow().contains("usdt.bpf.h"), e.getMessage());
        }
    }

    @Test
    void uprobeMultiRunsOnEveryMatchingFunctionOrSaysTheKernelIsTooOld() {
        Path target = NativeFixtures.compile("probe_target", Linking.PIE);
        try (BpfObject object = BpfObject.load(probes());
                TracedProcess process = TracedProcess.start(target, Integer.toString(COUNT))) {
            BpfProgram program = object.program("on_many");
            IllegalArgumentException offset = assertThrows(IllegalArgumentException.class, () -> program
                    .attachUprobeMulti(target.toString(), "probed_*", UprobeOptions.defaults().offset(4)));
            assertTrue(offset.getMessage().contains("attaches at each matching function's start"),
                    offset.getMessage());
            if (!KernelVersion.running().atLeast(KernelVersion.of(6, 6))) {
                NotSupportedException e = assertThrows(NotSupportedException.class, () -> program.attachUprobeMulti(
                        target.toString(), "probed_*", UprobeOptions.defaults()));
                assertTrue(e.hint().orElseThrow().contains("Linux 6.6"), e.hint().orElseThrow());
                return;
            }
            BpfLink link = program.attachUprobeMulti(target.toString(), "probed_*",
                    UprobeOptions.defaults().pid(process.pid()));
            assertTrue(link.description().contains("(2 functions)"), link.description());
            assertEquals(LinkType.UPROBE_MULTI, link.info().type().orElseThrow());
            // Reported from Linux 6.8: the file as the kernel resolved it, both functions, the one process.
            assertEquals(KernelVersion.running().atLeast(KernelVersion.of(6, 8))
                    ? new LinkTarget.UprobeMulti(target.toString(), 2, false, process.pid())
                    : new LinkTarget.Unreported(), link.info().target());
            // A uprobe.multi program attached to one function: a uprobe.multi link of one offset.
            try (BpfLink single = program.attachUprobe(target.toString(), "probed_add",
                    UprobeOptions.defaults().pid(process.pid()))) {
                assertEquals(LinkType.UPROBE_MULTI, single.info().type().orElseThrow());
                process.go();
            }
            assertEquals(3L * COUNT, hit(object, MULTI_CALLS), "probed_add twice, probed_other once, every call");
            BpfException single = assertThrows(BpfException.class, () -> object.program("on_probed_add")
                    .attachUprobeMulti(target.toString(), "probed_*", UprobeOptions.defaults()));
            assertTrue(single.getMessage().contains("was loaded for single uprobes; attachUprobeMulti takes a "
                    + "program loaded for uprobe.multi links"), single.getMessage());
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    @AlsoInGuestKernel
    void kprobesCountKernelCallsOrSayTheKernelHasNone() throws Exception {
        try (BpfObject object = BpfObject.load(probes())) {
            BpfProgram program = object.program("on_kernel_function");
            if (!Files.exists(Path.of("/sys/bus/event_source/devices/kprobe"))) {
                NotSupportedException e = assertThrows(NotSupportedException.class,
                        () -> program.attachKprobe("do_sys_openat2"));
                assertTrue(e.getMessage().contains("kprobes are not supported by this kernel"), e.getMessage());
                assertTrue(e.getMessage().contains("/sys/bus/event_source/devices/kprobe"), e.getMessage());
                assertTrue(e.hint().orElseThrow().contains("CONFIG_KPROBES"), e.hint().orElseThrow());
                assertThrows(NotSupportedException.class, () -> program.attachKsyscall("openat"));
                assertThrows(NotSupportedException.class, () -> program.attachKretprobe("do_sys_openat2"));
                return;
            }
            try (BpfLink kprobe = program.attachKprobe("do_sys_openat2");
                    BpfLink ksyscall = program.attachKsyscall("openat");
                    BpfLink kretprobe = program.attachKretprobe("do_sys_openat2")) {
                assertEquals(LinkType.PERF_EVENT, kprobe.info().type().orElseThrow());
                // Perf-event links say where they are from Linux 6.6 on (the test guest's 6.1 does not).
                boolean reports = KernelVersion.running().atLeast(KernelVersion.of(6, 6));
                assertEquals(reports ? new LinkTarget.Kprobe("do_sys_openat2", 0, false)
                        : new LinkTarget.Unreported(), kprobe.info().target());
                assertEquals(reports ? new LinkTarget.Kprobe("do_sys_openat2", 0, true)
                        : new LinkTarget.Unreported(), kretprobe.info().target());
                assertTrue(ksyscall.description().contains("sys_openat"), ksyscall.description());
                for (int i = 0; i < 10; i++) {
                    Files.readString(Path.of("/proc/self/stat"));
                }
                assertTrue(hit(object, KPROBE_CALLS) >= 30, "entry, syscall and return probes: "
                        + hit(object, KPROBE_CALLS));
            }
        }
    }

    @Test
    @AlsoInGuestKernel
    void kprobeMultiCountsOrSaysTheKernelCannot() throws Exception {
        ObjectSpec spec = BpfFixtures.hostSpec("kprobe_multi", BpfFixtures.installedCompilers().get(0));
        try (BpfObject object = BpfObject.load(spec)) {
            BpfProgram program = object.program("on_many_kernel_functions");
            BpfLink link;
            try {
                link = program.attachKprobeMulti("do_sys_open*");
            } catch (NotSupportedException e) {
                assertTrue(e.getMessage().contains("kprobe.multi links are not supported by this kernel"),
                        e.getMessage());
                assertTrue(e.hint().orElseThrow().contains("CONFIG_FPROBE"), e.hint().orElseThrow());
                return;
            }
            try (link) {
                assertEquals(LinkType.KPROBE_MULTI, link.info().type().orElseThrow());
                if (KernelVersion.running().atLeast(KernelVersion.of(6, 6))) {
                    LinkTarget.KprobeMulti probes = assertInstanceOf(LinkTarget.KprobeMulti.class,
                            link.info().target());
                    assertTrue(probes.count() >= 1 && !probes.returnProbe(), probes.toString());
                } else {
                    assertEquals(new LinkTarget.Unreported(), link.info().target(), "reported from Linux 6.6");
                }
                for (int i = 0; i < 10; i++) {
                    Files.readString(Path.of("/proc/self/stat"));
                }
                assertTrue(object.variable("calls").getLong() >= 10, "openat calls seen");
            }
        }
    }

    @Test
    void perfEventProgramFiresOnTheSoftwareCpuClockOfEveryCpu() {
        try (BpfObject object = BpfObject.load(probes())) {
            BpfProgram program = object.program("on_clock");
            List<BpfLink> links = program.attachPerfEventOnEveryCpu(PerfEventSpec.software(SoftwareEvent.CPU_CLOCK)
                    .samplePeriod(1_000_000));
            assertEquals(Runtime.getRuntime().availableProcessors(), links.size(), "a link per online CPU");
            assertEquals(LinkType.PERF_EVENT, links.get(0).info().type().orElseThrow());
            if (KernelVersion.running().atLeast(KernelVersion.of(6, 6))) {
                // Config PERF_COUNT_SW_CPU_CLOCK (0); type PERF_TYPE_SOFTWARE (1), or, since the kernel gave the CPU
                // clock a PMU of its own, that PMU's dynamic type (PERF_TYPE_MAX, 6, and up).
                LinkTarget.PerfEvent event = assertInstanceOf(LinkTarget.PerfEvent.class,
                        links.get(0).info().target());
                assertEquals(0, event.config());
                assertTrue(event.type() == 1 || event.type() >= 6, event.toString());
            }
            spin(300);
            long samples = hit(object, PERF_SAMPLES);
            assertTrue(samples >= 50, "1 ms samples during 300 ms of spinning: " + samples);
            links.forEach(BpfLink::close);
            long after = hit(object, PERF_SAMPLES);
            spin(100);
            assertEquals(after, hit(object, PERF_SAMPLES), "no samples once the links are closed");

            // A perf event "for a process" follows one thread: this one.
            try (BpfLink ownThread = program.attachPerfEvent(PerfEventSpec.software(SoftwareEvent.TASK_CLOCK)
                    .sampleFrequency(1000).pid(currentThreadId()), -1)) {
                spin(200);
                assertTrue(hit(object, PERF_SAMPLES) > after, "this thread's task clock sampled");
                assertTrue(ownThread.description().contains("of pid"), ownThread.description());
            }
            assertThrows(IllegalArgumentException.class, () -> program.attachPerfEvent(
                    PerfEventSpec.software(SoftwareEvent.CPU_CLOCK), -1), "every process needs a CPU");
            IllegalArgumentException noCpu = assertThrows(IllegalArgumentException.class, () -> program
                    .attachPerfEvent(PerfEventSpec.software(SoftwareEvent.CPU_CLOCK), 4096));
            assertTrue(noCpu.getMessage().startsWith("CPU 4096 is not online (online: ["), noCpu.getMessage());
            // Above any kernel's limit (an int), which the kernel also lowers by itself when samples take long.
            KernelException tooFast = assertThrows(KernelException.class, () -> program.attachPerfEvent(
                    PerfEventSpec.software(SoftwareEvent.CPU_CLOCK).sampleFrequency(1L << 40), 0));
            assertTrue(tooFast.hint().orElse("").contains("above kernel.perf_event_max_sample_rate ("),
                    tooFast.getMessage());

            // A clock without a rate samples 99 times a second, not every nanosecond.
            PerfEventSpec clock = PerfEventSpec.software(SoftwareEvent.CPU_CLOCK);
            assertTrue(clock.isFrequency());
            assertEquals(PerfEventSpec.DEFAULT_CLOCK_FREQUENCY, clock.periodOrFrequency());
            long before = hit(object, PERF_SAMPLES);
            List<BpfLink> defaults = program.attachPerfEventOnEveryCpu(clock);
            try {
                spin(300);
            } finally {
                defaults.forEach(BpfLink::close);
            }
            long sampled = hit(object, PERF_SAMPLES) - before;
            assertTrue(sampled > 0 && sampled < 200, "99 Hz over 300 ms on each CPU: " + sampled);
            PerfEventSpec faults = PerfEventSpec.software(SoftwareEvent.PAGE_FAULTS);
            assertEquals(1, faults.periodOrFrequency(), "other software events: every event");
            assertFalse(faults.isFrequency());
        }
    }

    @Test
    void hardwareEventsSampleOrSayTheMachineHasNoCounters() {
        try (BpfObject object = BpfObject.load(probes())) {
            BpfProgram program = object.program("on_clock");
            PerfEventSpec cycles = PerfEventSpec.hardware(HardwareEvent.CPU_CYCLES).sampleFrequency(1000);
            assertEquals("hardware cpu-cycles at 99 Hz", PerfEventSpec.hardware(HardwareEvent.CPU_CYCLES).toString(),
                    "sampled as the clocks are unless told else, not on every cycle");
            if (!Files.exists(Path.of("/sys/bus/event_source/devices/cpu"))) {
                NotSupportedException e = assertThrows(NotSupportedException.class,
                        () -> program.attachPerfEvent(cycles, 0));
                assertTrue(e.getMessage().contains("hardware cpu-cycles at 1000 Hz is not available"), e.getMessage());
                assertTrue(e.hint().orElseThrow().contains("SoftwareEvent.CPU_CLOCK"), e.hint().orElseThrow());
                return;
            }
            try (BpfLink link = program.attachPerfEvent(cycles.pid(currentThreadId()), -1)) {
                spin(200);
                assertTrue(hit(object, PERF_SAMPLES) > 0, "cycles sampled on " + link.description());
            }
        }
    }

    /** The kernel's id of the calling thread ({@code /proc/thread-self} links to {@code <pid>/task/<tid>}). */
    static int currentThreadId() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 0;
        while (System.nanoTime() < end) {
            x += Long.numberOfTrailingZeros(x + end);
        }
        assertTrue(x >= 0);
    }

    static long hit(BpfObject object, int slot) {
        byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, slot).array();
        byte[] value = object.map("hits").lookup(key).orElseThrow();
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
    }
}
