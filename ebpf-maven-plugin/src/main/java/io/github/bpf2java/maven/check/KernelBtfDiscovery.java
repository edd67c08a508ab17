package io.github.bpf2java.maven.check;

import io.github.bpf2java.maven.build.EbpfBuildException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands the configured kernel BTF locations into the files to check against. A file is taken as it is (its format
 * is found from its content when it is read); a directory is searched, through subdirectories, for files named
 * {@code *.btf} (BTFHub's layout) or {@code vmlinux} (a kernel's own {@code /sys/kernel/btf}, whose other files are
 * modules' split BTF and are not whole kernels). A location that does not exist, or a directory without any such
 * file, is a configuration error, because a check against nothing would pass and prove nothing.
 */
public final class KernelBtfDiscovery {
    /** Where a running kernel with {@code CONFIG_DEBUG_INFO_BTF} exposes its types. */
    public static final Path RUNNING_KERNEL = Path.of("/sys/kernel/btf/vmlinux");

    private final Path projectDirectory;

    /** @param projectDirectory what relative locations are relative to */
    public KernelBtfDiscovery(Path projectDirectory) {
        this.projectDirectory = projectDirectory;
    }

    /**
     * The kernels to check against, in a stable order: each location in the order given, a directory's files sorted
     * by path. A file reached twice is checked once.
     *
     * @throws EbpfBuildException if a location is missing or a directory holds no kernel BTF
     */
    public List<KernelBtf> discover(List<Path> locations) throws EbpfBuildException {
        Set<Path> seen = new LinkedHashSet<>();
        List<KernelBtf> kernels = new ArrayList<>();
        for (Path location : locations) {
            Path path = projectDirectory.resolve(location).normalize();
            String shown = location.toString();
            if (Files.isDirectory(path)) {
                List<Path> found = search(path, shown);
                for (Path file : found) {
                    if (seen.add(file.toAbsolutePath())) {
                        kernels.add(new KernelBtf(file, shown + "/" + separatorsAsSlashes(path.relativize(file))));
                    }
                }
            } else if (Files.exists(path)) {
                if (seen.add(path.toAbsolutePath())) {
                    kernels.add(new KernelBtf(path, shown));
                }
            } else {
                throw new EbpfBuildException("Kernel BTF " + shown + " does not exist (" + path + "). List raw BTF"
                        + " files (e.g. /sys/kernel/btf/vmlinux), ELF files with a .BTF section, or directories of"
                        + " *.btf files (e.g. a BTFHub checkout) in <kernelBtfs> (ebpf.check.kernelBtfs).");
            }
        }
        return kernels;
    }

    private static List<Path> search(Path directory, String shown) throws EbpfBuildException {
        List<Path> found;
        List<Path> archives;
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> all = files.filter(Files::isRegularFile).sorted().toList();
            found = all.stream().filter(KernelBtfDiscovery::isKernelBtfName).toList();
            archives = all.stream().filter(f -> lowerName(f).contains(".btf.tar")).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new EbpfBuildException("Cannot search kernel BTF directory " + shown + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            String hint = archives.isEmpty()
                    ? "Put raw BTF files named *.btf (or vmlinux) there, or list the files themselves."
                    : "It holds " + archives.size() + " compressed BTFHub archive(s) such as " + directory
                            .relativize(archives.get(0)) + ": extract them first (tar -xJf <archive>), the check"
                            + " reads the *.btf files inside.";
            throw new EbpfBuildException("Kernel BTF directory " + shown + " holds no *.btf or vmlinux file. "
                    + hint);
        }
        return found;
    }

    private static boolean isKernelBtfName(Path file) {
        String name = lowerName(file);
        return name.endsWith(".btf") || name.equals("vmlinux");
    }

    private static String lowerName(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT);
    }

    private static String separatorsAsSlashes(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }
}
