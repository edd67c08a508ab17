package io.github.bpf2java.ebpf.internal.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.fs.Tracefs;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.TestNetworkNamespace;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process without privileges sees a {@link PermissionException} that says what to do. */
class UnprivilegedTest {
    private static final String NOBODY = "65534";

    @TempDir
    Path scratch;

    @Test
    void unprivilegedMapCreationExplainsCapabilitiesAndSysctl() throws Exception {
        String sysctl = assumeUnprivilegedBpfIsRefused();
        String output = runUnprivileged("map");

        assertTrue(output.contains("EXCEPTION " + PermissionException.class.getName() + "\n"), output);
        assertTrue(output.contains("BPF_MAP_CREATE for map 'unpriv' failed: EPERM"), output);
        assertTrue(output.contains("hint: run as root, or grant CAP_BPF"), output);
        assertTrue(output.contains("CAP_PERFMON for tracing programs, CAP_NET_ADMIN for networking"), output);
        assertTrue(output.contains("kernel.unprivileged_bpf_disabled = " + sysctl + " on this machine"), output);
        assertTrue(output.contains("this process has none of CAP_BPF"), output);
    }

    @Test
    void featureQuestionsWithoutPrivilegesAreRefusedNotAnsweredFalse() throws Exception {
        assumeUnprivilegedBpfIsRefused();
        String output = runUnprivileged("features");
        assertTrue(output.contains("EXCEPTION " + PermissionException.class.getName() + "\n"), output);
        assertTrue(output.contains("BPF_MAP_CREATE") && output.contains("EPERM"), output);
    }

    @Test
    void unprivilegedObjectLoadExplainsCapabilitiesAndSysctl() throws Exception {
        String sysctl = assumeUnprivilegedBpfIsRefused();
        Path object = Files.copy(BpfFixtures.compile("counter").path(), scratch.resolve("counter.o"));
        String output = runUnprivileged("object", object.toString());

        assertTrue(output.contains("EXCEPTION " + PermissionException.class.getName() + "\n"), output);
        assertTrue(output.contains("counter") && output.contains("failed: EPERM"), output);
        assertTrue(output.contains("hint: run as root, or grant CAP_BPF"), output);
        assertTrue(output.contains("kernel.unprivileged_bpf_disabled = " + sysctl + " on this machine"), output);
    }

    @Test
    void withCapBpfAloneMapsAreCreatedButTracingProgramsAskForCapPerfmon() throws Exception {
        assumeUnprivilegedBpfIsRefused();
        assertTrue(runWithCapabilities(List.of("bpf"), "map").contains("CREATED "), "CAP_BPF creates maps");

        Path object = Files.copy(BpfFixtures.compile("counter").path(), scratch.resolve("counter.o"));
        String output = runWithCapabilities(List.of("bpf"), "object", object.toString());
        assertTrue(output.contains("EXCEPTION " + PermissionException.class.getName() + "\n"), output);
        assertTrue(output.contains("BPF_PROG_LOAD") && output.contains("EPERM"), output);
        assertTrue(output.contains("a program of type TRACEPOINT needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); "
                + "this process lacks CAP_PERFMON"), output);
        assertTrue(output.contains("this process has CAP_BPF"), output);
        assertFalse(output.contains("CAP_PERFMON for tracing programs"), "the precise hint, not the generic too: "
                + output);
    }

    @Test
    void withCapBpfAndCapPerfmonTracingProgramsLoad() throws Exception {
        assumeUnprivilegedBpfIsRefused();
        Path object = Files.copy(BpfFixtures.compile("counter").path(), scratch.resolve("counter.o"));
        String output = runWithCapabilities(List.of("bpf", "perfmon"), "object", object.toString());
        assertTrue(output.contains("LOADED BpfObject[counter"), output);
    }

    @Test
    void statisticsAskForCapSysAdminWhichCapBpfAndCapPerfmonDoNotGive() throws Exception {
        assumeUnprivilegedBpfIsRefused();
        String output = runWithCapabilities(List.of("bpf", "perfmon"), "stats");
        assertTrue(output.contains("EXCEPTION " + PermissionException.class.getName() + "\n"), output);
        assertTrue(output.contains("turning statistics on takes CAP_SYS_ADMIN"), output);
        assertFalse(output.contains("a security module"), output);
    }

    @Test
    void rootOfAUserNamespaceOfItsOwnIsToldItsCapabilitiesDoNotCount() throws Exception {
        // A rootless container: root inside a user namespace, with every capability there.
        String output = runChild(List.of(KernelSupport.assumeTool("unshare").toString(), "--user", "--map-root-user",
                "--"), "map");
        assertTrue(output.contains("EXCEPTION " + PermissionException.class.getName() + "\n"), output);
        assertTrue(output.contains("this process runs in a user namespace of its own (uid_map 0 0 1)"), output);
        assertFalse(output.contains("already has CAP_SYS_ADMIN"), output);
    }

    @Test
    void aUprobeAsksForCapSysAdminWhichCapPerfmonDoesNotReplace() throws Exception {
        assumeUnprivilegedBpfIsRefused();
        Path object = Files.copy(BpfFixtures.compile("readline").path(), scratch.resolve("readline.o"));
        String refused = runWithCapabilities(List.of("bpf", "perfmon"), "attach", object.toString(), "on_readline");
        // Linux 6.18 refuses it (EACCES); a kernel that took uprobes with CAP_PERFMON would attach here.
        if (!refused.contains("ATTACHED uretprobe /bin/bash:readline")) {
            assertTrue(refused.contains("EXCEPTION " + PermissionException.class.getName() + "\n"), refused);
            assertTrue(refused.contains("uprobes (and USDT probes, which are uprobes) need CAP_SYS_ADMIN"), refused);
            assertFalse(refused.contains("a security module or lockdown refused"), refused);
        }
        assertTrue(runWithCapabilities(List.of("bpf", "perfmon", "sys_admin"), "attach", object.toString(),
                "on_readline").contains("ATTACHED uretprobe /bin/bash:readline"), "what the hint says works");
    }

    @Test
    void aTracepointBehindARootOnlyTracefsAsksForCapDacReadSearch() throws Exception {
        assumeUnprivilegedBpfIsRefused();
        Path object = Files.copy(BpfFixtures.compile("counter").path(), scratch.resolve("counter.o"));
        Tracefs tracefs = Tracefs.findOrMount(); // the child, without CAP_SYS_ADMIN, could not mount it
        try {
            Path root = tracefs.root();
            String output = runWithCapabilities(List.of("bpf", "perfmon"), "attach", object.toString(),
                    "count_execve");
            if (Files.getPosixFilePermissions(root).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                assertTrue(output.contains("ATTACHED tracepoint syscalls/sys_enter_execve"), output);
                return;
            }
            assertTrue(output.contains("EXCEPTION " + PermissionException.class.getName() + "\n"), output);
            assertTrue(output.contains("cannot read the id of tracepoint syscalls/sys_enter_execve from " + root
                    + "/events/syscalls/sys_enter_execve/id: access denied"), output);
            assertTrue(output.contains("grant CAP_DAC_READ_SEARCH as well as the capabilities the program needs"),
                    output);
            assertTrue(runWithCapabilities(List.of("bpf", "perfmon", "dac_read_search"), "attach",
                    object.toString(), "count_execve").contains("ATTACHED tracepoint syscalls/sys_enter_execve"),
                    "what the hint says works");
        } finally {
            tracefs.unmount();
        }
    }

    @Test
    void networkingProgramsNeedCapNetAdmin() throws Exception {
        assumeUnprivilegedBpfIsRefused();
        Path object = Files.copy(BpfFixtures.compile("conventions").path(), scratch.resolve("conventions.o"));
        String refused = runWithCapabilities(List.of("bpf", "perfmon"), "object", object.toString(),
                "hidden_helper");
        assertTrue(refused.contains("EXCEPTION " + PermissionException.class.getName() + "\n"), refused);
        assertTrue(refused.contains("hidden_helper") && refused.contains("EPERM"), refused);
        assertTrue(refused.contains("needs CAP_BPF and CAP_NET_ADMIN (or CAP_SYS_ADMIN); this process lacks "
                + "CAP_NET_ADMIN"), refused);

        String loaded = runWithCapabilities(List.of("bpf", "net_admin"), "object", object.toString(),
                "hidden_helper");
        assertTrue(loaded.contains("LOADED "), loaded);
    }

    @Test
    void withCapBpfAloneACgroupSockAddrProgramAsksForCapNetAdminByName() throws Exception {
        assumeUnprivilegedBpfIsRefused();
        // sections.c has no maps: a sockmap would need CAP_NET_ADMIN before any program is loaded.
        Path object = Files.copy(BpfFixtures.compile("sections").path(), scratch.resolve("sections.o"));
        String output = runWithCapabilities(List.of("bpf"), "object", object.toString(), "prog_connect4");
        assertTrue(output.contains("EXCEPTION " + PermissionException.class.getName() + "\n"), output);
        assertTrue(output.contains("BPF_PROG_LOAD") && output.contains("prog_connect4")
                && output.contains("EPERM"), output);
        assertTrue(output.contains("a program of type CGROUP_SOCK_ADDR needs CAP_BPF and CAP_NET_ADMIN (or "
                + "CAP_SYS_ADMIN); this process lacks CAP_NET_ADMIN"), output);
    }

    @Test
    void enteringANetworkNamespaceWithoutCapSysAdminSaysWhatItTakes() throws Exception {
        KernelSupport.assumeRoot();
        KernelSupport.assumeTool("setpriv");
        try (TestNetworkNamespace ns = TestNetworkNamespace.create("unpriv")) {
            String output = runWithCapabilities(List.of("net_admin"), "netns", ns.path().toString());
            assertTrue(output.contains("EXCEPTION " + PermissionException.class.getName() + "\n"), output);
            assertTrue(output.contains("setns(CLONE_NEWNET) for network namespace " + ns.path() + " failed: EPERM"),
                    output);
            assertTrue(output.contains("entering a network namespace takes CAP_SYS_ADMIN"), output);

            assertTrue(runWithCapabilities(List.of("sys_admin"), "netns", ns.path().toString())
                    .contains("ENTERED inside"), "CAP_SYS_ADMIN is enough");
        }
    }

    private static String assumeUnprivilegedBpfIsRefused() throws IOException {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        KernelSupport.assumeTool("setpriv");
        String sysctl = Files.readString(Path.of("/proc/sys/kernel/unprivileged_bpf_disabled")).trim();
        KernelSupport.assume(!sysctl.equals("0"), "unprivileged BPF is enabled here (sysctl 0): a hash map would "
                + "be created, not refused");
        return sysctl;
    }

    /** Runs {@link UnprivilegedChild} with {@code args} as nobody, without capabilities, and returns its output. */
    private String runUnprivileged(String... args) throws Exception {
        return runWithCapabilities(List.of(), args);
    }

    /**
     * Runs {@link UnprivilegedChild} with {@code args} as nobody holding exactly {@code capabilities} (names as
     * setpriv takes them, e.g. {@code bpf}, {@code perfmon}, {@code net_admin}), and returns its output.
     */
    private String runWithCapabilities(List<String> capabilities, String... args) throws Exception {
        String granted = capabilities.stream().map(c -> ",+" + c).collect(Collectors.joining());
        return runChild(List.of(KernelSupport.assumeTool("setpriv").toString(), "--reuid=" + NOBODY,
                "--regid=" + NOBODY, "--clear-groups", "--inh-caps=-all" + granted, "--ambient-caps=-all" + granted,
                "--bounding-set=-all" + granted, "--"), args);
    }

    /** Runs {@link UnprivilegedChild} with {@code args} behind the command {@code prefix}, and returns its output. */
    private String runChild(List<String> prefix, String... args) throws Exception {
        // The child may run as nobody, who cannot read root's Maven repository or this worktree's target/: give it a
        // world-readable copy of exactly what it needs.
        Path classpath = scratch.resolve("cp");
        if (Files.isDirectory(classpath)) {
            return runChild(classpath, prefix, args);
        }
        Files.createDirectory(classpath);
        Files.copy(codeSource(Native.class), classpath.resolve("jna.jar"));
        copyTree(codeSource(MapFd.class), classpath.resolve("main"));
        copyTree(codeSource(UnprivilegedChild.class), classpath.resolve("test"));
        Files.createDirectory(scratch.resolve("jna-tmp"));
        // @TempDir lives under /tmp, which everyone may traverse.
        openToEveryone(scratch);
        return runChild(classpath, prefix, args);
    }

    private String runChild(Path classpath, List<String> prefix, String... args) throws Exception {
        Path jna = classpath.resolve("jna.jar");
        Path mainClasses = classpath.resolve("main");
        Path testClasses = classpath.resolve("test");
        Path jnaTmp = scratch.resolve("jna-tmp");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java.toString(), "-Djna.tmpdir=" + jnaTmp, "-Djava.io.tmpdir=" + jnaTmp,
                "-Xshare:off"));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", String.join(":", jna.toString(), mainClasses.toString(),
                testClasses.toString()), UnprivilegedChild.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), output);
        return output;
    }

    private static Path codeSource(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(source, to.resolve(from.relativize(source).toString()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    private static void openToEveryone(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxrwxrwx" : "rw-r--r--"));
            }
        }
    }
}
