package io.github.bpf2java.ebpf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import io.github.bpf2java.ebpf.BpfObject;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a test's {@code main} class in a new JVM of the running Java, with the runtime, JNA and the test classes on
 * its class path (and native access on Java 22+), for what one JVM cannot show about itself: another process's view
 * of a pin, a scheduler configured at start-up, dropped capabilities.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * Runs {@code main} with {@code args}, started through {@code launcher} (e.g. {@code setpriv ... --}) when given,
     * with {@code jvmOptions} before the class path; asserts it exits 0 within 60 s.
     *
     * @return what it printed, standard output and error together
     */
    public static String run(Class<?> main, List<String> launcher, List<String> jvmOptions, String... args)
            throws Exception {
        String classPath = Stream.of(Native.class, BpfObject.class, main)
                .map(ChildJvm::location)
                .distinct()
                .collect(Collectors.joining(":"));
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off"));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish: " + command);
        assertEquals(0, child.exitValue(), output);
        return output;
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
