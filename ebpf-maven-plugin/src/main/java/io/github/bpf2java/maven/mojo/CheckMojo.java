package io.github.bpf2java.maven.mojo;

import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.check.CheckOrchestrator;
import io.github.bpf2java.maven.check.CheckRequest;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;

/**
 * Checks at build time that the CO-RE relocations of the objects {@code ebpf:generate} built can be satisfied on the
 * kernels you target: runs the runtime's relocation engine, the code that relocates the objects when they are
 * loaded, against each kernel's BTF, and fails the build naming every object, program, instruction, relocation and
 * kernel that does not fit, before anything reaches a machine.
 *
 * <p>Prints one line per kernel ({@code OK} or how many relocations fail), then each failing relocation with the
 * reason and the kernels it fails on, then a summary. Objects are checked against the kernels of their byte order
 * ({@code bpfeb} objects against big-endian kernels only).
 *
 * <p>List parameters take one child element per item in the POM, or a comma-separated value as a property; empty
 * items are ignored.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends AbstractMojo {

    /**
     * The kernels to check against: raw BTF files ({@code /sys/kernel/btf/vmlinux}, BTFHub's {@code *.btf}), ELF
     * files with a {@code .BTF} section (a {@code vmlinux} built with BTF, an object compiled with {@code clang -g}),
     * and directories, searched through subdirectories for files named {@code *.btf} or {@code vmlinux} (e.g. an
     * extracted BTFHub archive). Relative paths are relative to the project; reports name each kernel by the path as
     * given here. A location that does not exist, a directory without such files, or a file that is not usable BTF
     * fails the build, naming it and what is wrong.
     *
     * <p>Default: {@code /sys/kernel/btf/vmlinux}, the kernel of the machine building, when it exists; without it
     * the goal warns and checks nothing. Property: {@code ebpf.check.kernelBtfs}.
     */
    @Parameter(property = "ebpf.check.kernelBtfs")
    List<String> kernelBtfs;

    /**
     * Where {@code ebpf:generate} put the objects; the same parameter as {@code generate}'s, so one value in the
     * plugin's {@code <configuration>} serves both goals.
     *
     * <p>Default: <code>${project.build.directory}/generated-resources/ebpf</code>. Property:
     * {@code ebpf.resourceOutputDirectory}.
     */
    @Parameter(property = "ebpf.resourceOutputDirectory",
            defaultValue = "${project.build.directory}/generated-resources/ebpf")
    File resourceOutputDirectory;

    /**
     * Patterns of the objects to check, relative to {@link #resourceOutputDirectory}, e.g.
     * <code>**&#47;*_bpfel.o</code>.
     *
     * <p>Default: every object (<code>**&#47;*.o</code>). Property: {@code ebpf.check.includes}.
     */
    @Parameter(property = "ebpf.check.includes")
    List<String> objectIncludes;

    /**
     * Patterns of objects not to check, e.g. <code>**&#47;experimental_*.o</code>.
     *
     * <p>Default: none. Property: {@code ebpf.check.excludes}.
     */
    @Parameter(property = "ebpf.check.excludes")
    List<String> objectExcludes;

    /**
     * Whether relocations that cannot be satisfied fail the build; {@code false} reports them as warnings. A kernel
     * BTF that cannot be used fails the build either way.
     *
     * <p>Default: {@code true}. Property: {@code ebpf.check.failOnError}.
     */
    @Parameter(property = "ebpf.check.failOnError", defaultValue = "true")
    boolean failOnError;

    /**
     * Skips the check.
     *
     * <p>Default: {@code false}. Property: {@code ebpf.check.skip}.
     */
    @Parameter(property = "ebpf.check.skip", defaultValue = "false")
    boolean skip;

    /** The build session (read-only; Maven sets it): whether it is parallel, for the log. */
    @Parameter(defaultValue = "${session}", readonly = true)
    MavenSession session;

    /** The project being built (read-only; Maven sets it). */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Override
    public void execute() throws MojoFailureException {
        if (skip) {
            getLog().info("Skipping the eBPF CO-RE check (ebpf.check.skip)");
            return;
        }
        Path basedir = project.getBasedir().toPath();
        CheckRequest request = new CheckRequest(basedir, basedir.resolve(resourceOutputDirectory.toPath()),
                items(objectIncludes), items(objectExcludes),
                items(kernelBtfs).stream().map(Path::of).toList(),
                failOnError, Runtime.getRuntime().availableProcessors());
        try {
            new CheckOrchestrator().execute(request, MavenBuildLog.of(getLog(), session, project));
        } catch (EbpfBuildException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    private static List<String> items(List<String> list) {
        return list == null ? List.of() : list.stream().filter(s -> s != null && !s.isBlank()).map(String::trim)
                .toList();
    }
}
