package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Values for {@code extern ... __kconfig} variables: the running kernel's build configuration (from
 * {@code /proc/config.gz} or {@code /boot/config-<release>}) and the {@code LINUX_*} values libbpf-style programs
 * expect. Options that are absent or unset read as 0 ({@code n}), so programs can test for them.
 */
public final class KconfigValues {
    private static final System.Logger LOG = System.getLogger(KconfigValues.class.getName());
    private static final List<Path> CONFIG_FILES = List.of(Path.of("/proc/config.gz"),
            Path.of("/boot/config-" + KernelVersion.running().release()));

    private final Map<String, String> config;
    private final KernelVersion kernel;

    KconfigValues(Map<String, String> config, KernelVersion kernel) {
        this.config = Map.copyOf(config);
        this.kernel = kernel;
    }

    /** The running kernel's configuration, or an empty one (with a warning) when none is readable. */
    static KconfigValues running() {
        for (Path file : CONFIG_FILES) {
            if (Files.isReadable(file)) {
                try {
                    return new KconfigValues(parse(file), KernelVersion.running());
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot read kernel configuration " + file + ": " + e.getMessage());
                }
            }
        }
        LOG.log(Level.WARNING, "no kernel configuration found at " + CONFIG_FILES
                + "; every CONFIG_* extern reads as unset");
        return new KconfigValues(Map.of(), KernelVersion.running());
    }

    /** {@code NAME=value} lines of a kernel {@code .config}, gzipped or not; values keep their quotes. */
    static Map<String, String> parse(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return values;
    }

    /**
     * The bytes of extern {@code name}, whose BTF type is {@code typeId} in {@code btf}, in {@code order}.
     *
     * @throws ObjectFormatException when the extern's type cannot hold a configuration value
     */
    byte[] encode(String name, Btf btf, int typeId, ByteOrder order) {
        int size = (int) btf.sizeOf(typeId);
        BtfType type = btf.resolve(typeId);
        String value = rawValue(name).orElse("n");
        if (type instanceof BtfType.Array array) {
            BtfType element = btf.resolve(array.elementTypeId());
            if (!(element instanceof BtfType.Int i) || i.size() != 1) {
                throw unsupported(name, btf, typeId);
            }
            byte[] text = unquote(value).getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[size];
            System.arraycopy(text, 0, out, 0, Math.min(text.length, Math.max(size - 1, 0)));
            return out;
        }
        if (!(type instanceof BtfType.Int) && !(type instanceof BtfType.Enum)) {
            throw unsupported(name, btf, typeId);
        }
        long number = switch (value) {
            case "y" -> 1;
            case "m" -> 2;
            case "n" -> 0;
            default -> parseNumber(name, value);
        };
        ByteBuffer out = ByteBuffer.allocate(size).order(order);
        switch (size) {
            case 1 -> out.put((byte) number);
            case 2 -> out.putShort((short) number);
            case 4 -> out.putInt((int) number);
            case 8 -> out.putLong(number);
            default -> throw unsupported(name, btf, typeId);
        }
        return out.array();
    }

    private Optional<String> rawValue(String name) {
        return switch (name) {
            case "LINUX_KERNEL_VERSION" -> Optional.of(Integer.toString(kernel.code()));
            // BPF cookies arrived in 5.15; the syscall wrapper decides how ksyscall programs read arguments.
            case "LINUX_HAS_BPF_COOKIE" -> Optional.of(kernel.atLeast(KernelVersion.of(5, 15)) ? "y" : "n");
            case "LINUX_HAS_SYSCALL_WRAPPER" ->
                    Optional.of(config.getOrDefault("CONFIG_ARCH_HAS_SYSCALL_WRAPPER", "n"));
            default -> Optional.ofNullable(config.get(name));
        };
    }

    private static long parseNumber(String name, String value) {
        try {
            return value.startsWith("0x") || value.startsWith("0X") ? Long.parseUnsignedLong(value.substring(2), 16)
                    : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ObjectFormatException("kconfig extern '" + name + "': the kernel's value " + value
                    + " is not a number; declare it as a char array to read a string option");
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static ObjectFormatException unsupported(String name, Btf btf, int typeId) {
        return new ObjectFormatException("kconfig extern '" + name + "' has type " + btf.describe(typeId)
                + ", which cannot hold a kernel configuration value",
                "declare it as bool, an integer of 1, 2, 4 or 8 bytes, enum libbpf_tristate, or char[N]", null);
    }
}
