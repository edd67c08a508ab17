package io.github.bpf2java.ebpf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Loads an object with the system's libbpf ({@code src/test/native/libbpf_xlated.c}, built with {@code -lbpf}) and
 * reads back what the kernel holds: each program's translated instructions and each map's id and name. The reference
 * side of the differential test.
 */
public final class LibbpfHarness {
    private final Path binary;

    private LibbpfHarness(Path binary) {
        this.binary = binary;
    }

    /** Builds the harness; skips (or fails) without gcc or libbpf's headers ({@code libbpf-dev}). */
    public static LibbpfHarness build() {
        KernelSupport.assume(Files.isRegularFile(Path.of("/usr/include/bpf/libbpf.h")),
                "libbpf's headers are not installed (libbpf-dev); the differential test loads with libbpf too");
        return new LibbpfHarness(NativeFixtures.compile("libbpf_xlated", NativeFixtures.Linking.PIE,
                List.of("-lbpf")));
    }

    /**
     * What libbpf's load left in the kernel.
     *
     * @param error    why libbpf refused the object (errno and step, with libbpf's last complaint), if it did
     * @param maps     map id to libbpf's name for the map ({@code bpf_map__name}, internal maps prefixed with the
     *                 object's name)
     * @param programs program name to its translated instructions
     */
    public record Load(Optional<String> error, Map<Integer, String> maps, Map<String, byte[]> programs) {}

    /**
     * Loads {@code object}: every program libbpf loads by default when {@code programs} is empty, else those. Maps
     * the object pins by name are pinned in a directory of the test's own, removed again, never in
     * {@code /sys/fs/bpf} itself.
     */
    public Load load(Path object, Collection<String> programs) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), object.toString()));
        command.addAll(programs);
        try (PinRoot pins = PinRoot.create("libbpf")) {
            Path errors = Files.createTempFile("libbpf-xlated", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
                builder.environment().put("BPF2JAVA_PIN_ROOT", pins.path().toString());
                Process p = builder.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    Assertions.fail(String.join(" ", command) + " failed:\n" + out + Files.readString(errors));
                }
                return parse(out, Files.readString(errors));
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Load parse(String out, String log) {
        Optional<String> error = Optional.empty();
        Map<Integer, String> maps = new LinkedHashMap<>();
        Map<String, byte[]> programs = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            String[] f = line.split(" ", 3);
            switch (f[0]) {
                case "map" -> maps.put(Integer.parseInt(f[1]), f[2]);
                case "prog" -> programs.put(f[1], HexFormat.of().parseHex(f[2]));
                case "error" -> error = Optional.of(f[2] + lastComplaint(log));
                default -> Assertions.fail("unexpected harness output: " + line);
            }
        }
        return new Load(error, maps, programs);
    }

    /** libbpf's most telling log line: the first one naming what failed, before its generic "failed to load". */
    private static String lastComplaint(String log) {
        return log.lines().filter(l -> l.startsWith("libbpf: ") && !l.contains("failed to load object")
                        && !l.contains("-- BEGIN") && !l.contains("-- END"))
                .findFirst().map(l -> " (" + l.substring("libbpf: ".length()).strip() + ")").orElse("");
    }
}
