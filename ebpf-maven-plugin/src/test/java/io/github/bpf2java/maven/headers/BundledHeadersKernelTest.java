package io.github.bpf2java.maven.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.github.bpf2java.ebpf.BpfLink;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.BpfProgram;
import io.github.bpf2java.ebpf.LoadOptions;
import io.github.bpf2java.ebpf.TracePipe;
import io.github.bpf2java.ebpf.attach.UsdtOptions;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.run.TestRunResult;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.maven.KernelHeaders;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects compiled with the plugin's headers alone load into the running kernel and do what the macros promise:
 * bpf_printk writes, CO-RE reads see the kernel's values, BPF_UPROBE/BPF_URETPROBE/BPF_PROG/BPF_PROG2 get their
 * arguments, BPF_USDT reads a USDT probe's arguments, kprobe-style programs load as kprobes, and the byte order
 * macros convert packets correctly.
 */
class BundledHeadersKernelTest {
    /** getppid(2) through libc, so that the syscall tracepoints fire on this thread. */
    interface C extends Library {
        C LIBC = Native.load("c", C.class);

        int getppid();
    }

    @TempDir
    Path dir;

    private final int pid = (int) ProcessHandle.current().pid();

    @BeforeEach
    void kernel() {
        boolean linux = System.getProperty("os.name", "").toLowerCase().contains("linux");
        boolean root = false;
        try {
            root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (Exception ignored) {
            // Not root, as far as this test can tell.
        }
        String missing = !linux ? "BPF needs Linux" : !root ? "loading BPF programs needs root" : null;
        if (missing != null) {
            if ("1".equals(System.getenv("EBPF_REQUIRE_KERNEL"))) {
                fail("EBPF_REQUIRE_KERNEL=1 but " + missing);
            }
            assumeTrue(false, missing);
        }
    }

    @Test
    void printkWritesThroughTracePrintkAndVprintk() throws Exception {
        long token = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        try (BpfObject object = load("printk.c", Optional.empty(), List.of());
                TracePipe pipe = TracePipe.open()) {
            object.variable("token").setLong(token);
            object.variable("target_tgid").setInt(pid);
            try (BpfLink link = object.program("on_getppid").attach()) {
                C.LIBC.getppid();
            }
            assertTrue(object.variable("calls").getInt() >= 1, "the tracepoint ran");
            assertTrue(object.variable("plain_result").getLong() > 0, "bpf_trace_printk without arguments wrote");
            assertTrue(object.variable("three_result").getLong() > 0, "bpf_trace_printk with 3 arguments wrote");
            assertTrue(object.variable("many_result").getLong() > 0, "bpf_trace_vprintk with 6 arguments wrote");
            boolean three = false;
            boolean many = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(three && many) && System.nanoTime() < deadline) {
                Optional<String> line = pipe.readLine(Duration.ofMillis(200));
                if (line.isPresent()) {
                    three |= line.get().contains("bpf2java headers: " + token + " 3 three");
                    many |= line.get().contains("bpf2java headers: " + token + " 1 2 3 4 5");
                }
            }
            assertTrue(three && many, "trace pipe lines with token " + token + ": three=" + three + " many=" + many);
        }
    }

    @Test
    void coreReadsSeeTheRunningKernelsValues() throws Exception {
        Path vmlinux = dir.resolve("vmlinux/vmlinux.h");
        KernelHeaders.dumpVmlinuxHeader(vmlinux);
        try (BpfObject object = load("core.c", Optional.empty(), List.of(vmlinux.getParent()))) {
            object.variable("target_tgid").setInt(pid);
            String[] threadComm = new String[1];
            try (BpfLink link = object.program("on_getppid").attach();
                    BpfLink btf = object.program("on_sys_enter_btf").attach()) {
                // A thread whose name (its comm, up to 15 characters) is longer than a pointer, so that a read
                // of sizeof(pointer) bytes instead of the array's would show.
                Thread caller = new Thread(() -> {
                    try {
                        threadComm[0] = Files.readString(Path.of("/proc/thread-self/comm")).strip();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    C.LIBC.getppid();
                }, "bpf2java-hdr-core");
                caller.start();
                caller.join();
            }
            int parent = (int) ProcessHandle.current().parent().orElseThrow().pid();
            assertTrue(object.variable("calls").getInt() >= 1, "the tracepoint ran");
            assertEquals(pid, object.variable("tgid").getInt(), "BPF_CORE_READ(task, tgid)");
            assertEquals(parent, object.variable("parent_tgid").getInt(), "BPF_CORE_READ(task, real_parent, tgid)");
            assertEquals(parent, object.variable("local_parent_tgid").getInt(), "through a ___local flavor");
            assertEquals(parent, object.variable("leader_tgid").getInt(), "a chain of four pointers");
            String comm = Files.readString(Path.of("/proc/self/comm")).strip();
            byte[] read = object.variable("comm").get();
            assertEquals(comm, new String(read, 0, comm.length(), StandardCharsets.US_ASCII), "BPF_CORE_READ_STR_INTO");
            assertEquals(comm.length() + 1, object.variable("comm_length").getLong(), "length with the NUL");
            assertTrue(threadComm[0].length() > 8, "thread comm '" + threadComm[0] + "' is longer than a pointer");
            byte[] thread = object.variable("thread_comm").get();
            assertEquals(threadComm[0], new String(thread, 0, threadComm[0].length(), StandardCharsets.US_ASCII),
                    "BPF_CORE_READ_STR_INTO(&thread_comm, task, comm) reads the whole array");
            assertEquals(threadComm[0].length() + 1, object.variable("thread_comm_length").getLong());
            assertEquals(4, object.variable("pid_field_size").getInt(), "bpf_core_field_size(task->pid)");
            assertTrue(object.variable("pid_field_offset").getInt() > 0, "bpf_core_field_offset");
            assertEquals(1, object.variable("tgid_field_exists").getInt(), "bpf_core_field_exists(task->tgid)");
            assertEquals(0, object.variable("missing_field_exists").getInt(), "a field the kernel lacks");
            assertEquals(1, object.variable("task_type_exists").getInt(), "bpf_core_type_exists");
            assertTrue(object.variable("task_type_size").getInt() > 1000, "bpf_core_type_size(struct task_struct)");
            assertEquals(1, object.variable("tgid_enum_exists").getInt(), "bpf_core_enum_value_exists");
            assertEquals(1, object.variable("tgid_enum_value").getLong(), "PIDTYPE_TGID is 1 in enum pid_type");
            assertEquals(0, object.variable("bitfield_probed_value").getLong(),
                    "BPF_CORE_READ_BITFIELD_PROBED(task, sched_reset_on_fork) of a normal thread");
            assertEquals(0, object.variable("bitfield_value").getLong(), "BPF_CORE_READ_BITFIELD, direct loads");
        }
    }

    @Test
    void openCodedIteratorsLoopAsTheirMacrosSayWithEveryClang() throws Exception {
        Path vmlinux = dir.resolve("vmlinux/vmlinux.h");
        KernelHeaders.dumpVmlinuxHeader(vmlinux);
        for (Path clang : IsolatedHeaderCompiler.installedClangs()) {
            if (!Files.readString(vmlinux).contains("struct bpf_iter_num {")) {
                // Before Linux 6.4 the kernel has no number iterator: the source cannot be built for it, and clang
                // says why.
                try (IsolatedHeaderCompiler compiler = new IsolatedHeaderCompiler()) {
                    IsolatedHeaderCompiler.Compiled compiled = compiler.compile(clang,
                            IsolatedHeaderCompiler.FIXTURES.resolve("iterators.c"), "bpfel", Optional.empty(),
                            List.of(vmlinux.getParent()), dir.resolve("objects/old-kernel-iterators.o"));
                    assertTrue(compiled.object().isEmpty(), "built without struct bpf_iter_num");
                    assertTrue(compiled.diagnostics().contains("struct bpf_iter_num"), compiled.diagnostics());
                }
                continue;
            }
            try (BpfObject object = load(clang, "iterators.c", Optional.empty(), List.of(vmlinux.getParent()))) {
                object.program("iterate").testRun(TestRun.ofContext(new byte[8]));
                assertEquals(120, object.variable("each_sum").getLong(), clang + ": bpf_for_each(num, v, 0, 16)");
                assertEquals(360, object.variable("for_sum").getLong(), clang + ": bpf_for over values[i] = 3 i");
                assertEquals(10, object.variable("repeated").getLong(), clang + ": bpf_repeat(times)");
                assertEquals(3 + 4 + 5 + 6, object.variable("before_break").getLong(), clang + ": break at 7");
            }
        }
    }

    @Test
    void uprobeAndUretprobeSeeTheArgumentsAndTheReturnValue() throws Exception {
        Optional<String> arch = IsolatedHeaderCompiler.hostArch();
        assumeTrue(arch.isPresent(), "no __TARGET_ARCH_ for " + System.getProperty("os.arch"));
        Path target = compileTarget();
        int count = 5;
        try (BpfObject object = load("probes.c", arch, List.of())) {
            try (BpfLink entry = object.program("on_add3").attachUprobe(target.toString(), "add3");
                    BpfLink exit = object.program("on_add3_return").attachUretprobe(target.toString(), "add3")) {
                run(target, count);
            }
            long expectedSum = 0;
            for (int i = 1; i <= count; i++) {
                expectedSum += i + 1000L * i;
            }
            assertEquals(count, object.variable("uprobe_calls").getLong(), "add3 entered once per call");
            assertEquals(expectedSum, object.variable("uprobe_sum").getLong(), "a + b of every call");
            assertEquals('x', object.variable("uprobe_last_c").getLong(), "the char argument");
            assertEquals(count, object.variable("uretprobe_calls").getLong(), "add3 returned once per call");
            assertEquals(count + 1000L * count + 'x', object.variable("uretprobe_last").getLong(), "the return value");
            assertTrue(object.variable("ip_seen").getLong() != 0, "PT_REGS_IP");
            assertTrue(object.variable("sp_seen").getLong() != 0, "PT_REGS_SP");
        }
    }

    @Test
    void usdtProgramGetsTheProbesArgumentsCountSizesAndCookie() throws Exception {
        Path target = compileTarget();
        int count = 4;
        try (BpfObject object = load("usdt.c", Optional.empty(), List.of())) {
            try (BpfLink link = object.program("on_step").attachUsdt(target.toString(), "bpf2java_headers", "step",
                    UsdtOptions.defaults().cookie(77))) {
                run(target, count);
            }
            long indexSum = 0;
            long total = 0;
            for (int i = 1; i <= count; i++) {
                indexSum += i;
                total += i + 1000L * i + 'x';
            }
            assertEquals(count, object.variable("calls").getLong(), "the probe fired once per step");
            assertEquals(indexSum, object.variable("index_sum").getLong(), "argument 0 through BPF_USDT");
            assertEquals(total, object.variable("last_total").getLong(), "argument 1, also through bpf_usdt_arg");
            assertEquals(-7, object.variable("last_minus").getLong(), "a negative constant argument, sign-extended");
            assertEquals(3, object.variable("arg_count").getLong(), "bpf_usdt_arg_cnt");
            assertEquals(8, object.variable("total_size").getLong(), "bpf_usdt_arg_size of a long");
            assertEquals(77, object.variable("cookie").getLong(), "bpf_usdt_cookie");
            assertEquals(-2, object.variable("missing_arg_error").getLong(), "-ENOENT for a fourth argument");
        }
    }

    @Test
    void bpfProgAndBpfProg2HandRawTracepointArgumentsToTheBody() throws Exception {
        Optional<String> arch = IsolatedHeaderCompiler.hostArch();
        assumeTrue(arch.isPresent() && arch.get().equals("x86"), "the syscall number checked is x86-64's");
        try (BpfObject object = load("probes.c", arch, List.of())) {
            object.variable("target_tgid").setInt(pid);
            try (BpfLink one = object.program("on_sys_enter").attachRawTracepoint("sys_enter");
                    BpfLink two = object.program("on_sys_enter2").attachRawTracepoint("sys_enter")) {
                C.LIBC.getppid();
            }
            assertTrue(object.variable("raw_calls").getLong() >= 1, "BPF_PROG program ran");
            assertTrue(object.variable("raw2_calls").getLong() >= 1, "BPF_PROG2 program ran");
            // The last system call this process made while attached need not be getppid (other threads), but
            // it is a valid x86-64 syscall number; getppid (110) was seen when it is the last.
            long id = object.variable("raw_last_id").getLong();
            assertTrue(id >= 0 && id < 1024, "a syscall number: " + id);
            long id2 = object.variable("raw2_last_id").getLong();
            assertTrue(id2 >= 0 && id2 < 1024, "a syscall number: " + id2);
        }
    }

    @Test
    void kprobeStyleProgramsLoadAsKprobesAndAttachWhereTheKernelHasKprobes() throws Exception {
        Optional<String> arch = IsolatedHeaderCompiler.hostArch();
        assumeTrue(arch.isPresent(), "no __TARGET_ARCH_ for " + System.getProperty("os.arch"));
        try (BpfObject object = load("probes.c", arch, List.of())) {
            for (String name : List.of("on_openat2", "on_openat2_return", "on_openat_syscall")) {
                BpfProgram program = object.program(name);
                assertEquals(ProgramType.KPROBE, program.type(), name);
                assertTrue(program.fd() > 0, name + " is loaded");
            }
            object.variable("target_tgid").setInt(pid);
            BpfProgram kprobe = object.program("on_openat2");
            if (!Files.exists(Path.of("/sys/bus/event_source/devices/kprobe"))) {
                NotSupportedException e = assertThrows(NotSupportedException.class,
                        () -> kprobe.attachKprobe("do_sys_openat2"));
                assertTrue(e.getMessage().contains("kprobes are not supported by this kernel"), e.getMessage());
                return;
            }
            try (BpfLink link = kprobe.attachKprobe("do_sys_openat2");
                    BpfLink syscall = object.program("on_openat_syscall").attachKsyscall("openat")) {
                Files.readAllBytes(Path.of("/proc/self/stat"));
            }
            assertTrue(object.variable("kprobe_calls").getLong() >= 2, "BPF_KPROBE saw the filename pointer");
            assertEquals(-100, object.variable("ksyscall_last_dfd").getLong(), "AT_FDCWD through BPF_KSYSCALL");
        }
    }

    @Test
    void xdpClassifiesAndRewritesWithTheByteOrderMacros() throws Exception {
        try (BpfObject object = load("xdp.c", Optional.empty(), List.of())) {
            BpfProgram xdp = object.program("classify");
            TestRunResult ipv4 = xdp.testRun(TestRun.ofData(frame(0x0800, 0x0a010203)));
            assertEquals(2, ipv4.returnValue(), "XDP_PASS for IPv4: " + ipv4.xdpAction());
            assertEquals(0x0a010203, object.variable("last_source").getInt(), "bpf_ntohl of the source address");
            assertEquals(0x0800, object.variable("last_protocol").getShort() & 0xffff, "bpf_ntohs of the protocol");
            int destination = ByteBuffer.wrap(ipv4.dataOut()).order(ByteOrder.BIG_ENDIAN).getInt(14 + 16);
            assertEquals(0x0a010204, destination, "bpf_htonl wrote the destination in network order");
            TestRunResult arp = xdp.testRun(TestRun.ofData(frame(0x0806, 0)));
            assertEquals(1, arp.returnValue(), "XDP_DROP for ARP (case bpf_htons(ETH_P_ARP)): " + arp.xdpAction());
            TestRunResult ipv6 = xdp.testRun(TestRun.ofData(frame(0x86dd, 0)));
            assertEquals(2, ipv6.returnValue(), ipv6.xdpAction());
            assertEquals(1, object.variable("others").getLong(), "bpf_be64_to_cpu(bpf_cpu_to_be64(1))");
        } catch (BpfException e) {
            throw new AssertionError("the XDP object did not load or run: " + e.getMessage(), e);
        }
    }

    /**
     * Every runtime fixture, compiled once with libbpf's headers and once with the plugin's alone, loads into the
     * kernel the same way: both load, or both are refused with the same kind of error (some fixtures need load
     * options, a target program, or privileges this kernel does not give).
     */
    @Test
    void runtimeFixturesLoadAlikeWithThePluginsHeadersAndWithLibbpfs() throws Exception {
        Path fixtures = Path.of("../ebpf-runtime/src/test/bpf").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(fixtures), "no runtime fixtures at " + fixtures);
        assumeTrue(Files.isRegularFile(Path.of("/usr/include/bpf/bpf_helpers.h")),
                "libbpf's headers (libbpf-dev) are the reference and are not installed");
        Optional<String> arch = IsolatedHeaderCompiler.hostArch();
        assumeTrue(arch.isPresent(), "no __TARGET_ARCH_ for " + System.getProperty("os.arch"));
        Path vmlinux = dir.resolve("vmlinux/vmlinux.h");
        KernelHeaders.dumpVmlinuxHeader(vmlinux);
        Path clang = IsolatedHeaderCompiler.installedClangs().get(0);
        String target = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "bpfel" : "bpfeb";
        List<Path> includes = List.of(vmlinux.getParent(), fixtures, fixtures.resolve("include"));
        List<Path> sources;
        try (var files = Files.list(fixtures)) {
            sources = files.filter(f -> f.toString().endsWith(".c")).sorted().toList();
        }
        java.util.Map<String, String> withLibbpf = new java.util.TreeMap<>();
        java.util.Map<String, String> withOurs = new java.util.TreeMap<>();
        int loaded = 0;
        // Maps pinned by name go to a bpffs of this test's own, mounted for it: never to the shared /sys/fs/bpf,
        // which may not be a bpffs at all.
        Path bpffs = Files.createDirectory(dir.resolve("bpffs"));
        command("mount", "-t", "bpf", "bpf", bpffs.toString());
        try (IsolatedHeaderCompiler compiler = new IsolatedHeaderCompiler()) {
            for (Path source : sources) {
                String name = source.getFileName().toString();
                Optional<String> sourceArch = Files.readString(source).contains("bpf_tracing.h") ? arch
                        : Optional.empty();
                IsolatedHeaderCompiler.Compiled reference = compiler.compileWithSystemHeaders(clang, source, target,
                        sourceArch, includes, dir.resolve("libbpf").resolve(name + ".o"));
                IsolatedHeaderCompiler.Compiled ours = compiler.compile(clang, source, target, sourceArch, includes,
                        dir.resolve("ours").resolve(name + ".o"));
                withLibbpf.put(name, loadOutcome(name, reference, bpffs));
                withOurs.put(name, loadOutcome(name, ours, bpffs));
                if (withOurs.get(name).equals("loaded")) {
                    loaded++;
                }
            }
        } finally {
            command("umount", bpffs.toString());
        }
        System.out.println("Runtime fixtures built with the plugin's headers: " + withOurs);
        assertEquals(withLibbpf, withOurs);
        assertTrue(loaded >= 15, loaded + " fixtures loaded: " + withOurs);
    }

    /** "loaded", or what went wrong: the compile's failure, or the load's exception class. */
    private static String loadOutcome(String name, IsolatedHeaderCompiler.Compiled compiled, Path bpffs)
            throws Exception {
        if (compiled.object().isEmpty()) {
            return "does not compile";
        }
        ObjectSpec spec;
        try {
            spec = ObjectSpec.read(name.replace(".c", ""), Files.readAllBytes(compiled.object().get()));
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName(); // e.g. an input of a static link, whose externs another file defines
        }
        // No dot in the name: bpffs refuses names with one.
        Path pinRoot = Files.createDirectory(bpffs.resolve(name.replace(".c", "") + "-" + System.nanoTime()));
        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder().pinRoot(pinRoot).build())) {
            return "loaded";
        } catch (BpfException | IllegalArgumentException | IllegalStateException e) {
            return "refused: " + e.getClass().getSimpleName();
        } finally {
            try (var pins = Files.list(pinRoot)) {
                for (Path pin : pins.toList()) {
                    Files.delete(pin);
                }
            }
            Files.delete(pinRoot);
        }
    }

    /** Runs a command (mount, umount) and fails the test with its output when it fails. */
    private static void command(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }

    /** An Ethernet frame with the protocol, and for IPv4 a header whose source address is {@code source}. */
    private static byte[] frame(int protocol, int source) {
        ByteBuffer frame = ByteBuffer.allocate(14 + 20 + 26).order(ByteOrder.BIG_ENDIAN);
        frame.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2});
        frame.putShort((short) protocol);
        frame.put((byte) 0x45).put((byte) 0).putShort((short) 46).putInt(0).put((byte) 64).put((byte) 17)
                .putShort((short) 0).putInt(source).putInt(0x0a010299);
        return frame.array();
    }

    /** Compiles fixture {@code name} with the plugin's headers alone, for this machine's byte order, and loads it. */
    private BpfObject load(String name, Optional<String> arch, List<Path> includes) throws Exception {
        return load(IsolatedHeaderCompiler.installedClangs().get(0), name, arch, includes);
    }

    private BpfObject load(Path clang, String name, Optional<String> arch, List<Path> includes) throws Exception {
        String target = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "bpfel" : "bpfeb";
        IsolatedHeaderCompiler.Compiled compiled;
        try (IsolatedHeaderCompiler compiler = new IsolatedHeaderCompiler()) {
            compiled = compiler.compile(clang, IsolatedHeaderCompiler.FIXTURES.resolve(name), target, arch, includes,
                    dir.resolve("objects").resolve(clang.getFileName() + "-" + name + ".o"));
        }
        Path object = compiled.object().orElseThrow(() -> new AssertionError(name + ": " + compiled.diagnostics()));
        return BpfObject.load(ObjectSpec.read(name.replace(".c", ""), Files.readAllBytes(object)));
    }

    /** Runs the target binary: it waits for a line on stdin, then makes {@code count} calls. */
    private static void run(Path target, int count) throws Exception {
        Process process = new ProcessBuilder(target.toString(), Integer.toString(count)).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write('\n');
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the target finished");
        assertEquals(0, process.exitValue(), new String(process.getErrorStream().readAllBytes()));
    }

    /** The uprobe target, built for this machine with the host compiler. */
    private Path compileTarget() throws Exception {
        Path clang = IsolatedHeaderCompiler.installedClangs().get(0);
        Path output = dir.resolve("uprobe_target");
        ProcessRunner.Result result = new ProcessRunner().run(List.of(clang.toString(), "-O1", "-g", "-o",
                output.toString(), IsolatedHeaderCompiler.FIXTURES.resolve("native/uprobe_target.c").toString()), dir);
        assertTrue(result.succeeded(), "the uprobe target does not build: " + result.output());
        return output;
    }
}
