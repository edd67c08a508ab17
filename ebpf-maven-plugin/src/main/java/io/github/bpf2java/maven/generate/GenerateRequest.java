package io.github.bpf2java.maven.generate;

import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.compile.TargetSelection;
import io.github.bpf2java.maven.headers.BundledHeadersMode;
import io.github.bpf2java.maven.pch.PrecompiledHeaderMode;
import io.github.bpf2java.maven.toolchain.ToolchainSelection;
import io.github.bpf2java.maven.vmlinux.VmlinuxSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one run of {@code ebpf:generate} needs, with every path absolute and normalized. Immutable; the mojo
 * builds it from its parameters, tests build it directly. Built only through {@link #builder()}: every value is set
 * by name, so two lists or two paths cannot be swapped unnoticed.
 */
public final class GenerateRequest {
    private final Path projectDirectory;
    private final Path sourceTreeRoot;
    private final Path sourceDirectory;
    private final List<String> includes;
    private final List<String> excludes;
    private final Path outputDirectory;
    private final Path resourceOutputDirectory;
    private final Optional<Path> classesDirectory;
    private final Path cacheDirectory;
    private final String packageName;
    private final Optional<String> clang;
    private final List<String> cflags;
    private final List<Path> includeDirectories;
    private final String cpu;
    private final boolean strip;
    private final List<Target> targets;
    private final TargetSelection targetSelection;
    private final List<LinkedObjects.Definition> objects;
    private final List<String> types;
    private final PrecompiledHeaderMode precompiledHeader;
    private final int parallelism;
    private final String generatorVersion;
    private final BundledHeadersMode bundledHeaders;
    private final VmlinuxSettings vmlinux;
    private final ToolchainSelection toolchain;

    private GenerateRequest(Builder b) {
        projectDirectory = absolute(required(b.projectDirectory, "projectDirectory"));
        sourceTreeRoot = b.sourceTreeRoot == null ? projectDirectory : absolute(b.sourceTreeRoot);
        sourceDirectory = absolute(required(b.sourceDirectory, "sourceDirectory"));
        includes = List.copyOf(b.includes);
        excludes = List.copyOf(b.excludes);
        outputDirectory = absolute(required(b.outputDirectory, "outputDirectory"));
        resourceOutputDirectory = absolute(required(b.resourceOutputDirectory, "resourceOutputDirectory"));
        classesDirectory = b.classesDirectory.map(GenerateRequest::absolute);
        cacheDirectory = absolute(required(b.cacheDirectory, "cacheDirectory"));
        packageName = required(b.packageName, "packageName");
        clang = b.clang.filter(c -> !c.isBlank());
        cflags = List.copyOf(b.cflags);
        includeDirectories = b.includeDirectories.stream().map(GenerateRequest::absolute).toList();
        cpu = required(b.cpu, "cpu");
        strip = b.strip;
        targets = List.copyOf(b.targets);
        targetSelection = new TargetSelection(targets, b.sourceTargets, b.architectureTargets);
        objects = List.copyOf(b.objects);
        types = List.copyOf(b.types);
        precompiledHeader = required(b.precompiledHeader, "precompiledHeader");
        parallelism = Math.max(1, b.parallelism);
        generatorVersion = required(b.generatorVersion, "generatorVersion");
        bundledHeaders = required(b.bundledHeaders, "bundledHeaders");
        vmlinux = b.vmlinux != null ? b.vmlinux
                : VmlinuxSettings.runningKernel(cacheDirectory.resolveSibling("ebpf").resolve("vmlinux"));
        toolchain = required(b.toolchain, "toolchain");
        if (targets.isEmpty()) {
            throw new IllegalStateException("a GenerateRequest needs at least one target");
        }
    }

    /** A builder with the mojo's defaults for everything but the directories and the package. */
    public static Builder builder() {
        return new Builder();
    }

    /** The project's base directory; clang runs there. */
    public Path projectDirectory() {
        return projectDirectory;
    }

    /**
     * The checkout's root: the project directory, or the directory of its outermost parent POM above it in a
     * multi-module build. Headers under it reach debug information named relative to the project.
     */
    public Path sourceTreeRoot() {
        return sourceTreeRoot;
    }

    /** Where Maven copies resources to (the project's classes directory), if anywhere. */
    public Optional<Path> classesDirectory() {
        return classesDirectory;
    }

    /** Where the C sources are. */
    public Path sourceDirectory() {
        return sourceDirectory;
    }

    /** Include patterns relative to {@link #sourceDirectory()}. */
    public List<String> includes() {
        return includes;
    }

    /** Exclude patterns relative to {@link #sourceDirectory()}. */
    public List<String> excludes() {
        return excludes;
    }

    /** Where the generated Java sources go (a compile source root). */
    public Path outputDirectory() {
        return outputDirectory;
    }

    /** Where the objects go (a resource directory), below the package's path. */
    public Path resourceOutputDirectory() {
        return resourceOutputDirectory;
    }

    /** The incremental build's state, precompiled headers and scratch space. */
    public Path cacheDirectory() {
        return cacheDirectory;
    }

    /** The package of the generated classes. */
    public String packageName() {
        return packageName;
    }

    /** The configured clang (path or name); empty to search {@code PATH}. */
    public Optional<String> clang() {
        return clang;
    }

    /** Extra clang flags. */
    public List<String> cflags() {
        return cflags;
    }

    /** Extra {@code -I} directories. */
    public List<Path> includeDirectories() {
        return includeDirectories;
    }

    /** clang's {@code -mcpu}. */
    public String cpu() {
        return cpu;
    }

    /** Whether DWARF is stripped (BTF is kept). */
    public boolean strip() {
        return strip;
    }

    /** What each source is compiled for, never empty. */
    public List<Target> targets() {
        return targets;
    }

    /** The targets of each source: {@link #targets()}, per-pattern rules, detected architectures. */
    public TargetSelection targetSelection() {
        return targetSelection;
    }

    /** Objects linked from several sources. */
    public List<LinkedObjects.Definition> objects() {
        return objects;
    }

    /** BTF type names to generate records for besides those the maps and globals use. */
    public List<String> types() {
        return types;
    }

    /** How precompiled headers are used. */
    public PrecompiledHeaderMode precompiledHeader() {
        return precompiledHeader;
    }

    /** At most this many clang processes at once, at least 1. */
    public int parallelism() {
        return parallelism;
    }

    /** The plugin's version; a different plugin version regenerates everything. */
    public String generatorVersion() {
        return generatorVersion;
    }

    /** Where the plugin's own {@code bpf/*.h} headers are on clang's include path. */
    public BundledHeadersMode bundledHeaders() {
        return bundledHeaders;
    }

    /** Where a {@code vmlinux.h} the build writes comes from and goes (default: the running kernel's BTF, into
     * {@code target/ebpf/vmlinux}). */
    public VmlinuxSettings vmlinux() {
        return vmlinux;
    }

    /** Where clang comes from: the {@code toolchain} parameter and the Maven clang's installer. */
    public ToolchainSelection toolchain() {
        return toolchain;
    }

    /** The resource path of the package, e.g. {@code com/example/ebpf}. */
    public String packagePath() {
        return packageName.replace('.', '/');
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static <T> T required(T value, String name) {
        if (value == null) {
            throw new IllegalStateException("GenerateRequest." + name + " is not set");
        }
        return value;
    }

    /**
     * Builds a {@link GenerateRequest}. The directories ({@code projectDirectory}, {@code sourceDirectory},
     * {@code outputDirectory}, {@code resourceOutputDirectory}, {@code cacheDirectory}) and {@code packageName}
     * must be set; everything else defaults to what the mojo's parameters default to.
     */
    public static final class Builder {
        private Path projectDirectory;
        private Path sourceTreeRoot;
        private Path sourceDirectory;
        private List<String> includes = List.of("**/*.c");
        private List<String> excludes = List.of();
        private Path outputDirectory;
        private Path resourceOutputDirectory;
        private Optional<Path> classesDirectory = Optional.empty();
        private Path cacheDirectory;
        private String packageName;
        private Optional<String> clang = Optional.empty();
        private List<String> cflags = List.of();
        private List<Path> includeDirectories = List.of();
        private String cpu = "v3";
        private boolean strip = true;
        private List<Target> targets = List.of(Target.BPFEL, Target.BPFEB);
        private List<TargetSelection.Rule> sourceTargets = List.of();
        private List<Target> architectureTargets = Target.forOsArch(System.getProperty("os.arch", ""))
                .map(List::of).orElse(List.of());
        private List<LinkedObjects.Definition> objects = List.of();
        private List<String> types = List.of();
        private PrecompiledHeaderMode precompiledHeader = new PrecompiledHeaderMode.Auto();
        private int parallelism = Runtime.getRuntime().availableProcessors();
        private String generatorVersion = "unknown";
        private BundledHeadersMode bundledHeaders = BundledHeadersMode.FALLBACK;
        private VmlinuxSettings vmlinux;
        private ToolchainSelection toolchain = ToolchainSelection.system();

        private Builder() {}

        /** Default: the system clang (the mojo passes its {@code toolchain} parameter and Maven's resolver). */
        public Builder toolchain(ToolchainSelection toolchain) {
            this.toolchain = Objects.requireNonNull(toolchain);
            return this;
        }

        public Builder projectDirectory(Path projectDirectory) {
            this.projectDirectory = Objects.requireNonNull(projectDirectory);
            return this;
        }

        /** Default: none, nothing copies the objects. */
        public Builder classesDirectory(Path classesDirectory) {
            this.classesDirectory = Optional.of(classesDirectory);
            return this;
        }

        /** Default: the project directory. */
        public Builder sourceTreeRoot(Path sourceTreeRoot) {
            this.sourceTreeRoot = Objects.requireNonNull(sourceTreeRoot);
            return this;
        }

        public Builder sourceDirectory(Path sourceDirectory) {
            this.sourceDirectory = Objects.requireNonNull(sourceDirectory);
            return this;
        }

        /** Default {@code **}{@code /*.c}. */
        public Builder includes(List<String> includes) {
            this.includes = List.copyOf(includes);
            return this;
        }

        /** Default none. */
        public Builder excludes(List<String> excludes) {
            this.excludes = List.copyOf(excludes);
            return this;
        }

        public Builder outputDirectory(Path outputDirectory) {
            this.outputDirectory = Objects.requireNonNull(outputDirectory);
            return this;
        }

        public Builder resourceOutputDirectory(Path resourceOutputDirectory) {
            this.resourceOutputDirectory = Objects.requireNonNull(resourceOutputDirectory);
            return this;
        }

        public Builder cacheDirectory(Path cacheDirectory) {
            this.cacheDirectory = Objects.requireNonNull(cacheDirectory);
            return this;
        }

        public Builder packageName(String packageName) {
            this.packageName = Objects.requireNonNull(packageName);
            return this;
        }

        /** Default empty: search {@code PATH}. A blank value counts as empty. */
        public Builder clang(Optional<String> clang) {
            this.clang = Objects.requireNonNull(clang);
            return this;
        }

        /** Default none. */
        public Builder cflags(List<String> cflags) {
            this.cflags = List.copyOf(cflags);
            return this;
        }

        /** Default none. */
        public Builder includeDirectories(List<Path> includeDirectories) {
            this.includeDirectories = List.copyOf(includeDirectories);
            return this;
        }

        /** Default {@code v3}. */
        public Builder cpu(String cpu) {
            this.cpu = Objects.requireNonNull(cpu);
            return this;
        }

        /** Default {@code true}. */
        public Builder strip(boolean strip) {
            this.strip = strip;
            return this;
        }

        /** Default {@code bpfel, bpfeb}. */
        public Builder targets(List<Target> targets) {
            this.targets = List.copyOf(targets);
            return this;
        }

        /** Default none: every source gets {@link #targets(List)}. */
        public Builder sourceTargets(List<TargetSelection.Rule> sourceTargets) {
            this.sourceTargets = List.copyOf(sourceTargets);
            return this;
        }

        /** Default: this machine's architecture; empty turns the detection of sources that need one off. */
        public Builder architectureTargets(List<Target> architectureTargets) {
            this.architectureTargets = List.copyOf(architectureTargets);
            return this;
        }

        /** Default none. */
        public Builder objects(List<LinkedObjects.Definition> objects) {
            this.objects = List.copyOf(objects);
            return this;
        }

        /** Default none. */
        public Builder types(List<String> types) {
            this.types = List.copyOf(types);
            return this;
        }

        /** Default {@code auto}. */
        public Builder precompiledHeader(PrecompiledHeaderMode precompiledHeader) {
            this.precompiledHeader = Objects.requireNonNull(precompiledHeader);
            return this;
        }

        /** Default: the number of processors. */
        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        /** Default {@code unknown}. */
        public Builder generatorVersion(String generatorVersion) {
            this.generatorVersion = Objects.requireNonNull(generatorVersion);
            return this;
        }

        /** Default {@code fallback}. */
        public Builder bundledHeaders(BundledHeadersMode bundledHeaders) {
            this.bundledHeaders = Objects.requireNonNull(bundledHeaders);
            return this;
        }

        /** Default: the running kernel's BTF, headers in {@code ebpf/vmlinux} beside the cache directory. */
        public Builder vmlinux(VmlinuxSettings vmlinux) {
            this.vmlinux = Objects.requireNonNull(vmlinux);
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalStateException when a directory or the package name was not set, or no target given
         */
        public GenerateRequest build() {
            return new GenerateRequest(this);
        }
    }
}
