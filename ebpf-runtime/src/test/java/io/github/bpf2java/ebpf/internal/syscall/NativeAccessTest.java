package io.github.bpf2java.ebpf.internal.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import io.github.bpf2java.ebpf.BpfFeatures;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.internal.bpf.UnprivilegedChild;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * When JNA cannot load its native part, as in a container with a read-only root file system or on a JDK denying
 * native access, every call into the runtime fails with a {@code BpfException} that says what to change, not with
 * the JVM's {@code UnsatisfiedLinkError} once and {@code NoClassDefFoundError} after. Each case runs in a fresh JVM,
 * where JNA has not been loaded yet.
 */
class NativeAccessTest {
    private static final Path OTHER_JNA = Path.of("target", "other-jna");

    @Test
    void noWritableDirectoryForJnaIsABpfExceptionNamingJnaTmpdirOnEveryCall() throws Exception {
        // A path under a regular file: no process, root included, can create it.
        String output = runChild("-Djna.tmpdir=/etc/hostname/jna", "-Dbpf2java.foreign=false");
        assertTrue(output.contains("1: BpfException: JNA, which this runtime makes its system calls through, cannot "
                + "load its native library (libjnidispatch.so)"), output);
        assertTrue(output.contains("hint: JNA unpacks it into ~/.cache/JNA or java.io.tmpdir")
                && output.contains("-Djna.tmpdir="), output);
        assertTrue(output.contains("2: BpfException: JNA"), "the second call says the same: " + output);
        assertTrue(output.contains("3: BpfException: JNA"), "so does the public API: " + output);
    }

    @Test
    void nativeAccessDeniedIsABpfExceptionNamingTheFlag() throws Exception {
        if (Runtime.version().feature() < 24) {
            // No JDK before 24 denies it: --illegal-native-access does not exist there, and JNA loads.
            assertTrue(runChild().contains("1: no exception"));
            return;
        }
        String output = runChild("--illegal-native-access=deny");
        assertTrue(output.contains("1: BpfException: native access is denied to JNA"), output);
        assertTrue(output.contains("--enable-native-access=ALL-UNNAMED")
                && output.contains("Enable-Native-Access: ALL-UNNAMED"), output);
        assertTrue(output.contains("3: BpfException: native access is denied"), output);
    }

    @Test
    void aJnaOlderThanTheOldestSupportedIsRefusedByVersionOnEveryCall() throws Exception {
        String output = runMain(classPathWith(OTHER_JNA.resolve("jna-too-old.jar")), Calls.class.getName());
        assertTrue(output.contains("1: BpfException: JNA 5.8.0 is on the class path; this runtime needs JNA "
                + NativeAccess.OLDEST_JNA + " or newer"), output);
        assertTrue(output.contains("manage net.java.dev.jna:jna at " + NativeAccess.OLDEST_JNA), output);
        assertTrue(output.contains("3: BpfException: JNA 5.8.0"), output);
    }

    @Test
    void theOldestSupportedJnaLoadsAndAttaches() throws Exception {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        Path object = BpfFixtures.compile("counter").path();
        String output = runMain(classPathWith(OTHER_JNA.resolve("jna-oldest-supported.jar")),
                UnprivilegedChild.class.getName(), "attach", object.toString(), "count_execve");
        assertTrue(output.contains("ATTACHED tracepoint syscalls/sys_enter_execve"), output);
    }

    /** This JVM's class path with its JNA jar replaced by {@code jna}. */
    private static String classPathWith(Path jna) {
        assertTrue(Files.isRegularFile(jna), jna + " is copied there by the build (maven-dependency-plugin)");
        String current = Path.of(Native.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toString();
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> entry.equals(current) ? jna.toString() : entry)
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String runChild(String... options) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of("-cp", System.getProperty("java.class.path"), Calls.class.getName()));
        return run(all);
    }

    private static String runMain(String classPath, String mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>();
        if (Runtime.version().feature() >= 22) {
            all.add("--enable-native-access=ALL-UNNAMED");
        }
        all.addAll(List.of("-cp", classPath, mainClass));
        all.addAll(List.of(args));
        return run(all);
    }

    private static String run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
        assertEquals(0, child.exitValue(), output);
        return output;
    }

    /** The child: three calls that need native code, each printing what it threw. */
    static final class Calls {
        public static void main(String[] args) {
            attempt(1, () -> new NativeBuffer(8).close());
            attempt(2, Libc::pageSize);
            attempt(3, () -> BpfFeatures.supports(MapType.ARRAY));
        }

        private static void attempt(int number, Runnable call) {
            try {
                call.run();
                System.out.println(number + ": no exception");
            } catch (BpfException e) {
                System.out.println(number + ": BpfException: " + e.getMessage());
                System.out.println("hint: " + e.hint().orElse(""));
            } catch (RuntimeException | Error e) {
                System.out.println(number + ": " + e);
            }
        }
    }
}
