package io.github.bpf2java.maven.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.maven.build.EbpfBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelBtfDiscoveryTest {

    @TempDir
    Path project;

    @Test
    void aListedFileIsTakenAsItIsAndNamedAsConfigured() throws Exception {
        Path file = touch("kernels/custom-kernel.raw");
        List<KernelBtf> kernels = discovery().discover(List.of(Path.of("kernels/custom-kernel.raw")));
        assertEquals(List.of(new KernelBtf(file, "kernels/custom-kernel.raw")), kernels);
    }

    @Test
    void aDirectoryIsSearchedForBtfFilesAndVmlinuxInPathOrder() throws Exception {
        Path b = touch("btfhub/ubuntu/22.04/x86_64/5.15.0-25-generic.btf");
        Path a = touch("btfhub/centos/8/x86_64/4.18.0-305.el8.x86_64.btf");
        Path vmlinux = touch("btfhub/running/vmlinux");
        touch("btfhub/running/nf_tables");
        touch("btfhub/README.md");
        touch("btfhub/debian/11/x86_64/5.10.0-8-amd64.btf.tar.xz");
        List<KernelBtf> kernels = discovery().discover(List.of(Path.of("btfhub")));
        assertEquals(List.of(
                new KernelBtf(a, "btfhub/centos/8/x86_64/4.18.0-305.el8.x86_64.btf"),
                new KernelBtf(vmlinux, "btfhub/running/vmlinux"),
                new KernelBtf(b, "btfhub/ubuntu/22.04/x86_64/5.15.0-25-generic.btf")), kernels);
    }

    @Test
    void aFileReachedTwiceIsCheckedOnce() throws Exception {
        Path file = touch("kernels/a.btf");
        List<KernelBtf> kernels = discovery().discover(List.of(Path.of("kernels/a.btf"), Path.of("kernels"),
                project.resolve("kernels/a.btf")));
        assertEquals(List.of(new KernelBtf(file, "kernels/a.btf")), kernels);
    }

    @Test
    void aMissingLocationNamesItselfAndTheParameter() {
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> discovery().discover(List.of(Path.of("kernels/gone.btf"))));
        assertTrue(e.getMessage().startsWith("Kernel BTF kernels/gone.btf does not exist ("
                + project.resolve("kernels/gone.btf") + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("<kernelBtfs> (ebpf.check.kernelBtfs)"), e.getMessage());
    }

    @Test
    void aDirectoryOfArchivesOnlySaysToExtractThem() throws Exception {
        touch("btfhub/debian/11/x86_64/5.10.0-8-amd64.btf.tar.xz");
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> discovery().discover(List.of(Path.of("btfhub"))));
        assertEquals("Kernel BTF directory btfhub holds no *.btf or vmlinux file. It holds 1 compressed BTFHub"
                + " archive(s) such as debian/11/x86_64/5.10.0-8-amd64.btf.tar.xz: extract them first (tar -xJf"
                + " <archive>), the check reads the *.btf files inside.", e.getMessage());
    }

    @Test
    void anEmptyDirectoryIsAnError() throws Exception {
        Files.createDirectories(project.resolve("kernels"));
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> discovery().discover(List.of(Path.of("kernels"))));
        assertTrue(e.getMessage().startsWith("Kernel BTF directory kernels holds no *.btf or vmlinux file."),
                e.getMessage());
    }

    private KernelBtfDiscovery discovery() {
        return new KernelBtfDiscovery(project);
    }

    private Path touch(String relative) throws Exception {
        Path file = project.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, relative);
    }
}
