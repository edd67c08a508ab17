package io.github.bpf2java.ebpf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The BPF objects inside the tools of Debian's {@code libbpf-tools} package: each tool is built from a libbpf
 * skeleton, which carries the whole BPF ELF object in the tool's data. Nobody in this project wrote them, so they
 * show how the loader does on objects written for libbpf.
 */
public final class LibbpfTools {
    /** The Debian package. */
    public static final String PACKAGE = "libbpf-tools";
    /** {@code EM_BPF}. */
    private static final int EM_BPF = 247;
    private static final int ELF64_HEADER_SIZE = 64;

    private LibbpfTools() {}

    /** One embedded object: the tool it came from and its bytes, also written to {@code file} for other loaders. */
    public record ToolObject(String name, byte[] bytes, Path file) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Every object embedded in the package's tools, in the order of the tools' names, written under
     * {@code target/libbpf-tools/}; skips (or fails under {@code EBPF_REQUIRE_KERNEL=1}) when the package is not
     * installed ({@code .ci/install-deps} installs it).
     */
    public static List<ToolObject> objects() {
        List<Path> tools = toolBinaries();
        KernelSupport.assume(!tools.isEmpty(), "Debian's " + PACKAGE + " package is not installed (apt-get install "
                + PACKAGE + "); its tools carry the real-world BPF objects this test loads");
        Path dir = BpfFixtures.moduleDir().resolve("target/libbpf-tools");
        List<ToolObject> out = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (Path tool : tools) {
                List<byte[]> found = embeddedObjects(Files.readAllBytes(tool));
                for (int i = 0; i < found.size(); i++) {
                    String name = tool.getFileName() + (found.size() == 1 ? "" : "-" + i);
                    Path file = dir.resolve(name + ".bpf.o");
                    Files.write(file, found.get(i));
                    out.add(new ToolObject(name, found.get(i), file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The package's executables (symbolic links to another tool, like {@code ext4dist}, left out), sorted. */
    private static List<Path> toolBinaries() {
        if (!BpfFixtures.onPath("dpkg-query")) {
            return List.of();
        }
        try {
            Process p = new ProcessBuilder("dpkg-query", "-L", PACKAGE).redirectErrorStream(true).start();
            String listing = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                return List.of();
            }
            return listing.lines().filter(l -> l.matches("/usr/s?bin/[^/]+")).map(Path::of)
                    .filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The 64-bit BPF ELF objects inside {@code binary}: every {@code \x7fELF} header whose machine is
     * {@code EM_BPF}, cut where its section header table ends (the last thing a compiler writes into an object).
     */
    public static List<byte[]> embeddedObjects(byte[] binary) {
        List<byte[]> out = new ArrayList<>();
        for (int at = indexOfMagic(binary, 1); at >= 0; at = indexOfMagic(binary, at + 1)) {
            if (at + ELF64_HEADER_SIZE > binary.length || binary[at + 4] != 2) {
                continue; // not ELFCLASS64
            }
            ByteOrder order = binary[at + 5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            ByteBuffer header = ByteBuffer.wrap(binary, at, ELF64_HEADER_SIZE).slice().order(order);
            if (Short.toUnsignedInt(header.getShort(18)) != EM_BPF) {
                continue;
            }
            long end = header.getLong(0x28)
                    + (long) Short.toUnsignedInt(header.getShort(0x3a)) * Short.toUnsignedInt(header.getShort(0x3c));
            if (end <= ELF64_HEADER_SIZE || at + end > binary.length) {
                continue;
            }
            out.add(java.util.Arrays.copyOfRange(binary, at, (int) (at + end)));
            at += (int) end - 1;
        }
        return out;
    }

    private static int indexOfMagic(byte[] data, int from) {
        for (int i = Math.max(from, 0); i + 4 <= data.length; i++) {
            if (data[i] == 0x7f && data[i + 1] == 'E' && data[i + 2] == 'L' && data[i + 3] == 'F') {
                return i;
            }
        }
        return -1;
    }
}
