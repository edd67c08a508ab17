package io.github.bpf2java.maven.mojo;

import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.vmlinux.VmlinuxHeaderFile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes {@code vmlinux.h}, the C declarations of every type of a kernel, from its BTF: the header CO-RE programs
 * include instead of the kernel's headers. No bpftool is needed; the dump is written by the plugin in Java, types in
 * an order C accepts (forward declarations where a pointer suffices, definitions before use by value), records with
 * the kernel's exact sizes and offsets (bit-fields, padding, {@code packed} where needed), and every record marked
 * {@code preserve_access_index} unless the program defines {@code BPF_NO_PRESERVE_ACCESS_INDEX}.
 *
 * <p>Run it to keep a header in the source tree, e.g.
 * {@code mvn ebpf:vmlinux -Debpf.vmlinux.output=src/main/bpf/vmlinux.h}. {@code ebpf:generate} does not need it:
 * when a source includes {@code vmlinux.h} and none is on the include path, it writes one into {@code target/}
 * itself. An unchanged BTF leaves the header untouched.
 */
@Mojo(name = "vmlinux", threadSafe = true)
public class VmlinuxMojo extends AbstractMojo {

    /**
     * The BTF to write the header from: the kernel's {@code /sys/kernel/btf/vmlinux} on the machine the programs
     * will run on, or a file of another kernel (e.g. from BTFHub).
     *
     * <p>Default: <code>/sys/kernel/btf/vmlinux</code>. Property: {@code ebpf.vmlinux.btf}.
     */
    @Parameter(property = "ebpf.vmlinux.btf", defaultValue = "/sys/kernel/btf/vmlinux")
    File btfFile;

    /**
     * The header to write; relative paths are relative to the project.
     *
     * <p>Default: <code>${project.build.directory}/ebpf/vmlinux/vmlinux.h</code>. Property:
     * {@code ebpf.vmlinux.output}.
     */
    @Parameter(property = "ebpf.vmlinux.output", defaultValue = "${project.build.directory}/ebpf/vmlinux/vmlinux.h")
    File output;

    /** The project's base directory (read-only; Maven sets it). */
    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    File basedir;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Path btf = basedir.toPath().resolve(btfFile.toPath());
        Path header = basedir.toPath().resolve(output.toPath());
        long start = System.nanoTime();
        try {
            VmlinuxHeaderFile.Outcome outcome = VmlinuxHeaderFile.update(btf, header);
            getLog().info(outcome == VmlinuxHeaderFile.Outcome.WRITTEN
                    ? "Wrote " + header + " from " + btf + " in " + (System.nanoTime() - start) / 1_000_000 + " ms"
                    : header + " is up to date with " + btf);
        } catch (EbpfBuildException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write " + header + ": " + e.getMessage(), e);
        }
    }
}
