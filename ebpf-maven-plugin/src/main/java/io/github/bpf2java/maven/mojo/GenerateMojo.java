package io.github.bpf2java.maven.mojo;

import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.compile.TargetSelection;
import io.github.bpf2java.maven.generate.GenerateOrchestrator;
import io.github.bpf2java.maven.generate.GenerateRequest;
import io.github.bpf2java.maven.generate.GeneratorFingerprint;
import io.github.bpf2java.maven.generate.LinkedObjects;
import io.github.bpf2java.maven.headers.BundledHeadersMode;
import io.github.bpf2java.maven.naming.JavaNames;
import io.github.bpf2java.maven.pch.PrecompiledHeaderMode;
import io.github.bpf2java.maven.toolchain.ToolchainKind;
import io.github.bpf2java.maven.toolchain.ToolchainSelection;
import io.github.bpf2java.maven.vmlinux.VmlinuxSettings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.inject.Inject;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.RemoteRepository;

/**
 * Compiles the eBPF C sources of the project with clang and generates a Java class per object.
 *
 * <p>Each {@code .c} file below {@link #sourceDirectory} becomes one object per {@link #targets target}, placed in
 * {@link #resourceOutputDirectory} under the package's path (so the objects land in the jar beside the class), and
 * one Java class in {@link #outputDirectory}, added as a compile source root. Unchanged inputs are not recompiled.
 *
 * <p>List parameters take one child element per item in the POM, or a comma-separated value as a property. An empty
 * item ({@code <cflag/>}, an item that is an unset property such as {@code <cflag>${extra.flag}</cflag>}, or the
 * empty one in {@code -Debpf.targets=bpfel,,bpfeb}) is ignored, so an optional value can come from a property.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {

    /**
     * The directory holding the eBPF C sources. A missing or empty directory is not an error: the goal says so and
     * succeeds. Symbolic links below it are followed, to files and to directories; a link that loops or leads
     * nowhere is skipped with a warning.
     *
     * <p>Default: <code>${project.basedir}/src/main/bpf</code>. Property: {@code ebpf.sourceDirectory}.
     */
    @Parameter(property = "ebpf.sourceDirectory", defaultValue = "${project.basedir}/src/main/bpf")
    File sourceDirectory;

    /**
     * Patterns, relative to {@link #sourceDirectory}, of the files to compile: {@code *} matches within a directory,
     * {@code **} across directories, and <code>**&#47;</code> also matches no directory at all.
     *
     * <p>Default: <code>**&#47;*.c</code>. Property: {@code ebpf.includes}.
     */
    @Parameter(property = "ebpf.includes", defaultValue = "**/*.c")
    List<String> includes;

    /**
     * Patterns of files not to compile, e.g. <code>experimental/**</code>.
     *
     * <p>Default: none. Property: {@code ebpf.excludes}.
     */
    @Parameter(property = "ebpf.excludes")
    List<String> excludes;

    /**
     * Where the generated Java sources go; added as a compile source root on every run, also when nothing was
     * regenerated.
     *
     * <p>Default: <code>${project.build.directory}/generated-sources/ebpf</code>. Property:
     * {@code ebpf.outputDirectory}.
     */
    @Parameter(property = "ebpf.outputDirectory",
            defaultValue = "${project.build.directory}/generated-sources/ebpf")
    File outputDirectory;

    /**
     * Where the compiled objects go, as {@code <package path>/<file base>_<target>.o}; added as a resource
     * directory so they are packaged beside the generated classes.
     *
     * <p>Default: <code>${project.build.directory}/generated-resources/ebpf</code>. Property:
     * {@code ebpf.resourceOutputDirectory}.
     */
    @Parameter(property = "ebpf.resourceOutputDirectory",
            defaultValue = "${project.build.directory}/generated-resources/ebpf")
    File resourceOutputDirectory;

    /**
     * The package of the generated classes; must be a legal Java package name.
     *
     * <p>Default: the project's group id made a legal package name, plus {@code .ebpf} (e.g. {@code com.example} →
     * {@code com.example.ebpf}). Property: {@code ebpf.packageName}.
     */
    @Parameter(property = "ebpf.packageName")
    String packageName;

    /**
     * The system clang to use, with {@link #toolchain} {@code system} or {@code auto} (setting it makes {@code auto}
     * use it): a path (absolute, or relative to the project) or a name looked up on {@code PATH}.
     *
     * <p>Default: {@code clang} on {@code PATH}, else the newest {@code clang-NN} on {@code PATH}. Property:
     * {@code ebpf.clang}.
     */
    @Parameter(property = "ebpf.clang")
    String clang;

    /**
     * Where clang comes from. {@code maven}: clang 17.0.6 from Maven Central ({@code org.bytedeco:llvm}, the jar of
     * the build machine's platform, 142 MB on Linux x86-64), fetched through Maven's resolver like any dependency
     * (mirrors, proxies and {@code -o} apply), its SHA-256 checked against the one pinned for the platform, and
     * unpacked once into the local repository's {@code .cache/bpf2java/llvm-<version>-<platform>} directory, shared
     * by every project and safe when builds run at once; objects are stripped with the {@code llvm-objcopy} that
     * comes with it. Nothing needs to be installed but a JDK, and after the first build it works offline.
     * {@code system}: a clang installed on the machine, see {@link #clang}, with llvm-strip or llvm-objcopy.
     * {@code auto}: {@code maven}, unless {@link #clang} is set or there is no Maven clang for the platform (Linux on
     * x86-64, arm64 and ppc64le and macOS on x86-64 and arm64 have one), then {@code system}; also {@code system}
     * when the Maven clang cannot be fetched and a system clang exists (with a warning).
     *
     * <p>Default: {@code auto}. Property: {@code ebpf.toolchain}.
     */
    @Parameter(property = "ebpf.toolchain", defaultValue = "auto")
    String toolchain;

    /**
     * Extra clang flags, after the plugin's own (which they can override), e.g. {@code -DDEBUG}.
     *
     * <p>Default: none. Property: {@code ebpf.cflags}.
     */
    @Parameter(property = "ebpf.cflags")
    List<String> cflags;

    /**
     * Extra include directories ({@code -I}), relative to the project. The host's multiarch directory (e.g.
     * {@code /usr/include/x86_64-linux-gnu}) is always added when it exists.
     *
     * <p>Default: none. Property: {@code ebpf.includeDirectories}.
     */
    @Parameter(property = "ebpf.includeDirectories")
    List<File> includeDirectories;

    /**
     * The BPF instruction set version, clang's {@code -mcpu}: {@code v1}, {@code v2}, {@code v3}, {@code v4},
     * {@code generic} or {@code probe}. Pinned rather than left to clang, whose default changes between versions.
     *
     * <p>Default: {@code v3} (Linux 5.1+: 32-bit jumps and ALU). Property: {@code ebpf.cpu}.
     */
    @Parameter(property = "ebpf.cpu", defaultValue = "v3")
    String cpu;

    /**
     * Whether to remove DWARF from the objects with llvm-strip or llvm-objcopy (the {@code .BTF} and
     * {@code .BTF.ext} sections are kept).
     *
     * <p>Default: {@code true}. Property: {@code ebpf.strip}.
     */
    @Parameter(property = "ebpf.strip", defaultValue = "true")
    boolean strip;

    /**
     * What to compile each source for: {@code bpfel} and {@code bpfeb} (byte orders), or architectures that also
     * define {@code __TARGET_ARCH_<arch>} for libbpf's {@code PT_REGS_*} macros: {@code amd64}, {@code x86},
     * {@code arm64}, {@code arm}, {@code s390x}, {@code riscv64}, {@code ppc64le}, {@code ppc64},
     * {@code loongarch64}, {@code mips}, {@code mipsle}, {@code mips64}, {@code mips64le}, {@code sparc64}.
     *
     * <p>Default: {@code bpfel,bpfeb}. Property: {@code ebpf.targets}.
     */
    @Parameter(property = "ebpf.targets", defaultValue = "bpfel,bpfeb")
    List<String> targets;

    /**
     * Targets per source, overriding {@code <targets>} for the sources matching a pattern (a glob relative to the
     * source directory; without {@code /} it matches the file name anywhere, and the name of a linked object), e.g.
     * {@code <sourceTarget><pattern>kprobe_*.c</pattern><targets>amd64,arm64</targets></sourceTarget>}. The first
     * matching pattern wins. The generated class of each source picks among the objects built for it.
     *
     * <p>Default: none. Property: {@code ebpf.sourceTargets}.
     */
    @Parameter(property = "ebpf.sourceTargets")
    List<SourceTarget> sourceTargets;

    /**
     * What a source matching no {@code <sourceTargets>} pattern is compiled for instead of byte-order
     * {@code <targets>} when it needs an architecture: clang refuses it with libbpf's "Must specify a BPF target arch
     * via __TARGET_ARCH_xxx" (it uses {@code PT_REGS_*}, {@code BPF_KPROBE}, {@code BPF_KSYSCALL},
     * {@code BPF_UPROBE}, ...), and it is compiled again for these. {@code host} is the architecture of the machine
     * running the build: other architectures need their own register layout in the headers ({@code struct
     * user_pt_regs} for {@code arm64}, ...), so list them when your headers have it. Empty turns the detection off.
     *
     * <p>Default: {@code host}. Property: {@code ebpf.architectureTargets}.
     */
    @Parameter(property = "ebpf.architectureTargets", defaultValue = "host")
    List<String> architectureTargets;

    /**
     * Objects built from several C files, each compiled on its own and then linked in Java (like
     * {@code bpftool gen object}): functions, maps and globals declared {@code extern} in one file resolve to the
     * file that defines them, e.g.
     * {@code <object><name>tracer</name><sources>tracer/main.c,tracer/helpers.c</sources></object>} gives
     * {@code tracer_<target>.o} and one class {@code Tracer}. Sources are paths or globs relative to the source
     * directory, in link order; they are not built on their own.
     *
     * <p>Default: none. Property: {@code ebpf.objects}.
     */
    @Parameter(property = "ebpf.objects")
    List<LinkedObject> objects;

    /**
     * BTF type names (structs, unions, enums, typedefs) to generate Java records or enums for, besides those the
     * maps' keys and values and the global variables use, e.g. {@code event} (or {@code struct event}) for
     * {@code struct event}. A type the object's BTF lacks because only code uses it (a struct sent through
     * {@code bpf_ringbuf_reserve()}) is added to the BTF of each source that defines it, through an unused function
     * taking it; the C needs no change. A name no source defines fails the build.
     *
     * <p>Default: none. Property: {@code ebpf.types}.
     */
    @Parameter(property = "ebpf.types")
    List<String> types;

    /**
     * Precompiled headers: {@code auto} precompiles the leading {@code #include} lines that at least two of the
     * sources being compiled share (in the same order), once per target; the objects are byte-identical to a build
     * without them (clang 15+ orders the BTF forward declarations it appends by memory address, which a precompiled
     * header makes vary: the plugin sorts them after every compile), except for the DWARF that
     * {@code <strip>false</strip>} keeps, so then clang 15+ compiles without one; {@code none} turns them off; any
     * other value is a header (relative to the project) precompiled and given to every source as if it began by
     * including it.
     *
     * <p>Default: {@code auto}. Property: {@code ebpf.precompiledHeader}.
     */
    @Parameter(property = "ebpf.precompiledHeader", defaultValue = "auto")
    String precompiledHeader;

    /**
     * The plugin's own BPF headers ({@code bpf/bpf_helpers.h}, {@code bpf_helper_defs.h}, {@code bpf_core_read.h},
     * {@code bpf_tracing.h}, {@code bpf_endian.h}, {@code usdt.bpf.h}, written by this project, so that sources need
     * no libbpf development package): {@code fallback} puts them after the system's include directories, so that
     * {@code #include <bpf/bpf_helpers.h>} finds libbpf's headers when they are installed and the plugin's when not;
     * {@code always} puts them before the system's (after {@link #includeDirectories}), for an installed libbpf older
     * than them (Debian 12's 1.1 lacks {@code BPF_UPROBE}; a failed compile names a header that came from elsewhere
     * and lacks what the source uses); {@code never} leaves them out.
     * They are extracted to {@code target/ebpf-cache/include}; a plugin with other headers recompiles everything.
     * Whatever the mode, {@code target/ebpf-cache/include-compat} (an empty {@code gnu/stubs-32.h} and
     * {@code bpf2java/legacy_maps.h}) is searched after every other directory.
     *
     * <p>Default: {@code fallback}. Property: {@code ebpf.bundledHeaders}.
     */
    @Parameter(property = "ebpf.bundledHeaders", defaultValue = "fallback")
    String bundledHeaders;

    /**
     * The BTF for the {@code vmlinux.h} this goal writes when a source includes {@code vmlinux.h} and no include
     * directory has one (see {@code ebpf:vmlinux}): the kernel the programs target.
     *
     * <p>Default: the running kernel's, <code>/sys/kernel/btf/vmlinux</code>. Property: {@code ebpf.vmlinux.btf}.
     */
    @Parameter(property = "ebpf.vmlinux.btf")
    File vmlinuxBtf;

    /**
     * BTF files per architecture target for a written {@code vmlinux.h}, as {@code <target>=<file>} items, e.g.
     * {@code arm64=btf/arm64.btf}: objects compiled for that target then see the types of that architecture's
     * kernel. Target names are those of {@link #targets} ({@code amd64}, {@code arm64}, {@code s390x}, ...); without
     * an item, an architecture target other than this machine's gets this machine's types, with a warning.
     *
     * <p>Default: none. Property: {@code ebpf.vmlinux.btfs}.
     */
    @Parameter(property = "ebpf.vmlinux.btfs")
    List<String> vmlinuxBtfs;

    /**
     * Where a written {@code vmlinux.h} goes (added to the include path).
     *
     * <p>Default: <code>${project.build.directory}/ebpf/vmlinux</code>. Property: {@code ebpf.vmlinux.directory}.
     */
    @Parameter(property = "ebpf.vmlinux.directory", defaultValue = "${project.build.directory}/ebpf/vmlinux")
    File vmlinuxDirectory;

    /**
     * Skips the goal: nothing is compiled, generated or registered.
     *
     * <p>Default: {@code false}. Property: {@code ebpf.skip}.
     */
    @Parameter(property = "ebpf.skip", defaultValue = "false")
    boolean skip;

    /** The build session (read-only; Maven sets it): whether it is parallel, for the log. */
    @Parameter(defaultValue = "${session}", readonly = true)
    MavenSession session;

    /** The project being built (read-only; Maven sets it). */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** Fetches the Maven clang (Maven injects it). */
    @Inject
    RepositorySystem repositorySystem;

    /** The resolver session: local repository, offline mode, mirrors (read-only; Maven sets it). */
    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true)
    RepositorySystemSession repositorySession;

    /** The project's remote repositories, where the Maven clang is fetched from (read-only; Maven sets it). */
    @Parameter(defaultValue = "${project.remoteProjectRepositories}", readonly = true)
    List<RemoteRepository> remoteRepositories;

    /** This plugin's version (read-only); a different version regenerates everything. */
    @Parameter(defaultValue = "${plugin.version}", readonly = true)
    String pluginVersion;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping eBPF generation (ebpf.skip)");
            return;
        }
        long start = System.nanoTime();
        new SourceRootRegistrar().register(project, outputDirectory.toPath(), resourceOutputDirectory.toPath());
        try {
            GenerateRequest request = request();
            new GenerateOrchestrator().execute(request, MavenBuildLog.of(getLog(), session, project));
        } catch (EbpfBuildException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("eBPF generation failed: " + e.getMessage(), e);
        }
        getLog().debug("ebpf:generate took " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    private GenerateRequest request() throws EbpfBuildException {
        Path basedir = project.getBasedir().toPath();
        String pkg = packageName == null || packageName.isBlank()
                ? JavaNames.sanitizePackage(project.getGroupId() + ".ebpf")
                : packageName.trim();
        if (!JavaNames.isPackageName(pkg)) {
            throw new EbpfBuildException("<packageName> (ebpf.packageName) '" + pkg + "' is not a legal Java package"
                    + " name: use dot-separated Java identifiers that are not keywords, e.g. com.example.ebpf.");
        }
        String mcpu = cpu == null ? "v3" : cpu.trim().toLowerCase(Locale.ROOT);
        if (!List.of("v1", "v2", "v3", "v4", "probe", "generic").contains(mcpu)) {
            throw new EbpfBuildException("Unknown <cpu> (ebpf.cpu) '" + cpu
                    + "'. Allowed values: v1, v2, v3, v4, probe, generic");
        }
        return GenerateRequest.builder()
                .projectDirectory(basedir)
                .sourceTreeRoot(sourceTreeRoot())
                .sourceDirectory(sourceDirectory.toPath())
                .includes(items(includes, "includes"))
                .excludes(items(excludes, "excludes"))
                .outputDirectory(outputDirectory.toPath())
                .resourceOutputDirectory(resourceOutputDirectory.toPath())
                .classesDirectory(Path.of(project.getBuild().getOutputDirectory()))
                .cacheDirectory(Path.of(project.getBuild().getDirectory(), "ebpf-cache"))
                .packageName(pkg)
                .clang(Optional.ofNullable(clang).filter(c -> !c.isBlank()))
                .cflags(items(cflags, "cflags"))
                .includeDirectories(items(includeDirectories, "includeDirectories").stream()
                        .map(f -> basedir.resolve(f.toPath())).toList())
                .cpu(mcpu)
                .strip(strip)
                .targets(Target.parseAll(targets == null ? List.of("bpfel,bpfeb") : items(targets, "targets")))
                .sourceTargets(sourceTargetRules())
                .architectureTargets(architectureTargetList())
                .objects(items(objects, "objects").stream()
                        .map(o -> new LinkedObjects.Definition(o.name == null ? "" : o.name.trim(),
                                o.sources == null ? List.of() : List.of(o.sources)))
                        .toList())
                .types(typeNames(items(types, "types")))
                .precompiledHeader(PrecompiledHeaderMode.parse(precompiledHeader, basedir))
                .parallelism(Runtime.getRuntime().availableProcessors())
                .bundledHeaders(BundledHeadersMode.parse(bundledHeaders))
                .generatorVersion(GeneratorFingerprint.of(pluginVersion == null ? "unknown" : pluginVersion))
                .vmlinux(vmlinuxSettings(basedir))
                .toolchain(ToolchainSelection.of(ToolchainKind.parse(toolchain),
                        new MavenArtifactFetcher(repositorySystem, repositorySession, remoteRepositories)))
                .build();
    }

    /**
     * The directory of the outermost parent POM that lies above this project on disk: the checkout's root in a
     * multi-module build (parents from a repository, such as a framework's, are not above it).
     */
    private Path sourceTreeRoot() {
        Path root = project.getBasedir().toPath().toAbsolutePath().normalize();
        for (MavenProject parent = project.getParent(); parent != null; parent = parent.getParent()) {
            if (parent.getBasedir() == null) {
                break;
            }
            Path dir = parent.getBasedir().toPath().toAbsolutePath().normalize();
            if (!root.startsWith(dir)) {
                break;
            }
            root = dir;
        }
        return root;
    }

    private VmlinuxSettings vmlinuxSettings(Path basedir) throws EbpfBuildException {
        Map<String, Path> byArch = new TreeMap<>();
        for (String item : items(vmlinuxBtfs, "vmlinuxBtfs")) {
            for (String entry : item.split(",")) {
                int eq = entry.indexOf('=');
                if (eq <= 0 || eq == entry.length() - 1) {
                    throw new EbpfBuildException("<vmlinuxBtfs> (ebpf.vmlinux.btfs) item '" + entry.trim() + "' is"
                            + " not <target>=<BTF file>, e.g. arm64=btf/arm64.btf");
                }
                byArch.put(entry.substring(0, eq).trim(), basedir.resolve(entry.substring(eq + 1).trim()));
            }
        }
        Path dir = vmlinuxDirectory != null ? basedir.resolve(vmlinuxDirectory.toPath())
                : Path.of(project.getBuild().getDirectory(), "ebpf", "vmlinux");
        return new VmlinuxSettings(Optional.ofNullable(vmlinuxBtf).map(f -> basedir.resolve(f.toPath())), byArch, dir);
    }

    /** {@code <architectureTargets>}, {@code host} standing for this machine's architecture. */
    private List<Target> architectureTargetList() throws EbpfBuildException {
        List<String> names = new ArrayList<>();
        for (String item : items(architectureTargets == null ? List.of("host") : architectureTargets,
                "architectureTargets")) {
            for (String name : item.split(",")) {
                if (!name.trim().equalsIgnoreCase("host")) {
                    names.add(name);
                    continue;
                }
                String arch = System.getProperty("os.arch", "");
                Target.forOsArch(arch).ifPresentOrElse(t -> names.add(t.targetName()), () -> getLog().debug(
                        "No eBPF architecture target for os.arch " + arch + "; <architectureTargets> host is empty"));
            }
        }
        return names.stream().allMatch(String::isBlank) ? List.of()
                : Target.parseAll(names, "<architectureTargets> (ebpf.architectureTargets)");
    }

    /**
     * The {@code types} items as BTF names: {@code struct event} is taken as {@code event}, as C writers often put
     * it (BTF names a struct, union or enum without its keyword).
     */
    private List<String> typeNames(List<String> items) {
        List<String> names = new ArrayList<>();
        for (String item : items) {
            String name = item.trim().replaceFirst("^(struct|union|enum)\\s+", "");
            if (!name.equals(item.trim())) {
                getLog().debug("<types> item '" + item.trim() + "' taken as '" + name + "'");
            }
            names.add(name);
        }
        return names;
    }

    private List<TargetSelection.Rule> sourceTargetRules() throws EbpfBuildException {
        List<TargetSelection.Rule> rules = new ArrayList<>();
        for (SourceTarget item : items(sourceTargets, "sourceTargets")) {
            if (item.pattern == null || item.pattern.isBlank() || item.targets == null) {
                throw new EbpfBuildException("<sourceTargets>: every <sourceTarget> needs a <pattern> and <targets>,"
                        + " e.g. <pattern>kprobe_*.c</pattern><targets>amd64,arm64</targets>");
            }
            rules.add(new TargetSelection.Rule(item.pattern.trim(), Target.parseAll(List.of(item.targets),
                    "the <targets> of the <sourceTarget> for pattern '" + item.pattern.trim() + "'")));
        }
        return rules;
    }

    /**
     * The items of a list parameter without the empty ones. An empty item ({@code <cflag/>}, an item that is an
     * unset property such as {@code <cflag>${extra.flag}</cflag>}, or {@code -Debpf.targets=bpfel,,bpfeb}) is
     * ignored, so that an optional value can be passed through a property; debug output names it.
     */
    private <T> List<T> items(List<T> list, String parameter) {
        if (list == null) {
            return List.of();
        }
        List<T> kept = list.stream().filter(e -> !isEmptyItem(e)).toList();
        if (kept.size() < list.size() && getLog().isDebugEnabled()) {
            getLog().debug("Ignoring " + (list.size() - kept.size()) + " empty item(s) of <" + parameter + "> (ebpf."
                    + parameter + ")");
        }
        return kept;
    }

    private static boolean isEmptyItem(Object item) {
        return item == null || item instanceof String s && s.isBlank() || item instanceof File f
                && f.getPath().isBlank();
    }
}
