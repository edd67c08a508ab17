package io.github.bpf2java.ebpf.internal.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.BpfFeatures;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.spec.MapType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When JNA cannot load its native part, as in a container with a read-only root file system or on a JDK denying
 * native access, every call into the runtime fails with a {@code BpfException} that says what to change, not with
 * the JVM's {@code UnsatisfiedLinkError} once and {@code NoClassDefFoundError} after. Each case runs in a fresh JVM,
 * where JNA has not been loaded yet.
 */
class NativeAccessTest {

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

    private static String runChild(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Calls.class.getName()));
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
