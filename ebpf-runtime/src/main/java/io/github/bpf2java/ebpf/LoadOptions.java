package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.core.CoreMode;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.load.CoreSettings;
import io.github.bpf2java.ebpf.internal.load.FunctionReplacement;
import io.github.bpf2java.ebpf.internal.load.LoadSettings;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * How to load an {@link io.github.bpf2java.ebpf.spec.ObjectSpec}: values for {@code .rodata} constants, map size,
 * value size, flag and {@code map_extra} overrides, program types for sections the naming table does not know,
 * which programs to load. Immutable; build one with {@link #builder()}.
 */
public final class LoadOptions {
    private final Map<String, byte[]> constants;
    private final Map<String, Integer> maxEntries;
    private final Map<String, Integer> valueSizes;
    private final Map<String, Integer> mapFlags;
    private final Map<String, Long> mapExtra;
    private final Map<String, ProgramType> programTypes;
    private final Map<String, String> attachTargets;
    private final Optional<Set<String>> programs;
    private final int logLevel;
    private final Map<String, Replacement> replacements;
    private final Path pinRoot;
    private final Map<String, BpfMap> reusedMaps;
    private final CoreSettings core;

    /** An freplace target: a global function of a loaded program. */
    private record Replacement(BpfProgram program, String function) {}

    private LoadOptions(Builder b) {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        b.constants.forEach((k, v) -> copy.put(k, v.clone()));
        this.constants = Map.copyOf(copy);
        this.maxEntries = Map.copyOf(b.maxEntries);
        this.valueSizes = Map.copyOf(b.valueSizes);
        this.mapFlags = Map.copyOf(b.mapFlags);
        this.mapExtra = Map.copyOf(b.mapExtra);
        this.programTypes = Map.copyOf(b.programTypes);
        this.attachTargets = Map.copyOf(b.attachTargets);
        this.programs = b.programs == null ? Optional.empty() : Optional.of(Set.copyOf(b.programs));
        this.logLevel = b.logLevel;
        this.replacements = Map.copyOf(b.replacements);
        this.pinRoot = b.pinRoot;
        this.reusedMaps = Map.copyOf(b.reusedMaps);
        this.core = new CoreSettings(b.coreMode, Optional.ofNullable(b.kernelBtf));
    }

    /** Options that change nothing: every program loaded, constants as compiled. */
    public static LoadOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** New values for global variables, by name, in the object's byte order. */
    public Map<String, byte[]> constants() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        constants.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** {@code max_entries} overrides, by map name. */
    public Map<String, Integer> maxEntries() {
        return maxEntries;
    }

    /** {@code value_size} overrides, by map name. */
    public Map<String, Integer> valueSizes() {
        return valueSizes;
    }

    /** {@code map_flags} overrides, by map name. */
    public Map<String, Integer> mapFlags() {
        return mapFlags;
    }

    /** {@code map_extra} overrides, by map name. */
    public Map<String, Long> mapExtra() {
        return mapExtra;
    }

    /** Program types for programs whose section name does not say, by program name. */
    public Map<String, ProgramType> programTypes() {
        return programTypes;
    }

    /** Kernel functions or tracepoints BTF-typed programs attach to instead of what their sections name. */
    public Map<String, String> attachTargets() {
        return attachTargets;
    }

    /**
     * The programs to load, by name; empty means every program except those in {@code SEC("?...")} sections, which
     * load only when named here. Maps are created either way.
     */
    public Optional<Set<String>> programs() {
        return programs;
    }

    /** The verifier log level used when a load fails and is retried with a log (1 or 2). */
    public int logLevel() {
        return logLevel;
    }

    /** Where maps the object marks {@code LIBBPF_PIN_BY_NAME} are pinned and looked for: {@code /sys/fs/bpf}. */
    public Path pinRoot() {
        return pinRoot;
    }

    /** Maps of other objects (or opened from pins) used instead of creating this object's, by map name. */
    public Map<String, BpfMap> reusedMaps() {
        return reusedMaps;
    }

    /** Who resolves CO-RE relocations: {@link CoreMode#USER_SPACE} unless set. */
    public CoreMode coreRelocation() {
        return core.mode();
    }

    /** The BTF file CO-RE relocates against instead of the running kernel's, if one was given. */
    public Optional<Path> kernelBtf() {
        return core.kernelBtf();
    }

    /** What these options set, leaving out defaults, e.g. {@code LoadOptions[constants {target_pid=2a000000}]}. */
    @Override
    public String toString() {
        StringJoiner set = new StringJoiner(", ", "LoadOptions[", "]");
        if (!constants.isEmpty()) {
            StringJoiner values = new StringJoiner(", ", "constants {", "}");
            constants.forEach((name, bytes) -> values.add(name + "=" + HexFormat.of().formatHex(bytes)));
            set.add(values.toString());
        }
        addIfSet(set, "maxEntries", maxEntries);
        addIfSet(set, "valueSizes", valueSizes);
        addIfSet(set, "mapFlags", mapFlags);
        addIfSet(set, "mapExtra", mapExtra);
        addIfSet(set, "programTypes", programTypes);
        addIfSet(set, "attachTargets", attachTargets);
        programs.ifPresent(names -> set.add("programs " + names));
        if (logLevel != Builder.DEFAULT_LOG_LEVEL) {
            set.add("logLevel " + logLevel);
        }
        if (!replacements.isEmpty()) {
            set.add("replacing " + replacements.keySet());
        }
        if (!pinRoot.equals(Builder.DEFAULT_PIN_ROOT)) {
            set.add("pinRoot " + pinRoot);
        }
        if (!reusedMaps.isEmpty()) {
            set.add("reusing " + reusedMaps.keySet());
        }
        if (core.mode() != CoreMode.USER_SPACE) {
            set.add("coreRelocation " + core.mode());
        }
        core.kernelBtf().ifPresent(btf -> set.add("kernelBtf " + btf));
        return set.toString();
    }

    private static void addIfSet(StringJoiner set, String what, Map<String, ?> values) {
        if (!values.isEmpty()) {
            set.add(what + " " + values);
        }
    }

    /** These options for the loader. */
    LoadSettings settings() {
        Map<String, FunctionReplacement> replaced = new LinkedHashMap<>();
        replacements.forEach((name, r) -> replaced.put(name, new FunctionReplacement(r.program().handle(),
                r.program().btfFunctionId(r.function()), "function '" + r.function() + "' of program '"
                        + r.program().name() + "'")));
        Map<String, MapFd> reused = new LinkedHashMap<>();
        reusedMaps.forEach((name, map) -> reused.put(name, map.handle()));
        return new LoadSettings(constants, maxEntries, valueSizes, mapFlags, mapExtra, programTypes, attachTargets,
                programs, logLevel, replaced, pinRoot, reused, core);
    }

    /** Builds {@link LoadOptions}. */
    public static final class Builder {
        private final Map<String, byte[]> constants = new LinkedHashMap<>();
        private final Map<String, Integer> maxEntries = new LinkedHashMap<>();
        private final Map<String, Integer> valueSizes = new LinkedHashMap<>();
        private final Map<String, Integer> mapFlags = new LinkedHashMap<>();
        private final Map<String, Long> mapExtra = new LinkedHashMap<>();
        private final Map<String, ProgramType> programTypes = new LinkedHashMap<>();
        private final Map<String, String> attachTargets = new LinkedHashMap<>();
        private Set<String> programs;
        static final int DEFAULT_LOG_LEVEL = 1;
        static final Path DEFAULT_PIN_ROOT = Path.of("/sys/fs/bpf");

        private int logLevel = DEFAULT_LOG_LEVEL;
        private final Map<String, Replacement> replacements = new LinkedHashMap<>();
        private Path pinRoot = DEFAULT_PIN_ROOT;
        private final Map<String, BpfMap> reusedMaps = new LinkedHashMap<>();
        private CoreMode coreMode = CoreMode.USER_SPACE;
        private Path kernelBtf;

        private Builder() {}

        /**
         * Sets the initial value of a global variable (typically a {@code const volatile} in {@code .rodata}).
         *
         * @param name  the C variable name
         * @param value exactly the variable's size, in the host's byte order (the order of every object this
         *              machine loads)
         */
        public Builder constant(String name, byte[] value) {
            constants.put(name, value.clone());
            return this;
        }

        /**
         * {@link #constant(String, byte[])} with the value encoded by {@code codec}: {@code constant("targ_tgid",
         * Codecs.S32, pid)} for a {@code const volatile pid_t targ_tgid}; for objects without a generated class.
         */
        public <T> Builder constant(String name, Codec<T> codec, T value) {
            return constant(name, Codecs.toBytes(Objects.requireNonNull(codec, "codec"), value));
        }

        /** Overrides a map's {@code max_entries}. */
        public Builder maxEntries(String mapName, int entries) {
            if (entries <= 0) {
                throw new IllegalArgumentException("max_entries of map '" + mapName + "' must be positive: " + entries);
            }
            maxEntries.put(mapName, entries);
            return this;
        }

        /**
         * Overrides a map's {@code value_size}, as libbpf's {@code bpf_map__set_value_size} does: objects such as
         * libbpf-tools' profilers leave a stack-trace map's value size to be chosen at run time (e.g. 127 frames
         * of 8 bytes). When the size differs from the value type the object declares, the map is created without
         * BTF key and value types.
         */
        public Builder valueSize(String mapName, int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("value_size of map '" + mapName + "' must be positive: " + bytes);
            }
            valueSizes.put(mapName, bytes);
            return this;
        }

        /**
         * Replaces a map's {@code map_flags} (e.g. {@code BPF_F_NO_PREALLOC}, {@code BPF_F_MMAPABLE}); the value
         * replaces the object's flags rather than adding to them.
         */
        public Builder mapFlags(String mapName, int flags) {
            mapFlags.put(mapName, flags);
            return this;
        }

        /** Replaces a map's {@code map_extra} (a bloom filter's number of hash functions, an arena's address). */
        public Builder mapExtra(String mapName, long extra) {
            mapExtra.put(mapName, extra);
            return this;
        }

        /** Names the program type of a program whose section the naming table does not know. */
        public Builder programType(String programName, ProgramType type) {
            programTypes.put(programName, type);
            return this;
        }

        /**
         * Points a BTF-typed program ({@code tp_btf}, fentry/fexit/fmod_ret, LSM, iterator) at another kernel
         * function or tracepoint than its section names, as libbpf's {@code bpf_program__set_attach_target} does:
         * tools such as funclatency declare {@code SEC("fentry/dummy_fentry")} and choose the function at run time.
         * The target is fixed when the program is loaded.
         *
         * @param target the bare name, as it follows the section prefix, e.g. {@code do_unlinkat} or
         *               {@code sched_switch}
         */
        public Builder attachTarget(String programName, String target) {
            if (target.isEmpty()) {
                throw new IllegalArgumentException("attach target of program '" + programName + "' is empty");
            }
            attachTargets.put(programName, target);
            return this;
        }

        /**
         * Makes the freplace program {@code programName} ({@code SEC("freplace/<function>")}) replace
         * {@code function}, a global (non-static, {@code __noinline}) function of {@code target}, a program loaded
         * already; attaching the freplace program ({@code attach()}) swaps the function in, closing the link swaps
         * it back.
         */
        public Builder replaceFunction(String programName, BpfProgram target, String function) {
            target.btfFunctionId(function); // fails now, naming the functions there are, rather than at load
            replacements.put(programName, new Replacement(target, function));
            return this;
        }

        /** Loads only these programs; the maps of the object are still all created. */
        public Builder programs(Set<String> names) {
            programs = Set.copyOf(names);
            return this;
        }

        /** The verifier log level for the retry after a failed load: 1 (default) or 2 (every instruction). */
        public Builder logLevel(int level) {
            if (level < 1 || level > 2) {
                throw new IllegalArgumentException("log level must be 1 or 2: " + level);
            }
            logLevel = level;
            return this;
        }

        /**
         * The directory (on a bpffs) where maps declared with {@code __uint(pinning, LIBBPF_PIN_BY_NAME)} are pinned
         * under their names, and where a later load finds and reuses them, as libbpf's {@code pin_root_path}
         * does. The directory must exist. Default {@code /sys/fs/bpf}.
         */
        public Builder pinRoot(Path directory) {
            pinRoot = directory;
            return this;
        }

        /**
         * Uses {@code map} (of another object, or opened with {@link BpfMap#openPinned}) as this object's map
         * {@code mapName} instead of creating one, so both objects' programs share it, as libbpf's
         * {@code bpf_map__reuse_fd} and cilium/ebpf's {@code MapReplacements} do. The load checks that it has the
         * type, sizes and flags the object declares, and leaves its contents alone; the new object holds its own
         * descriptor of it.
         */
        public Builder reuseMap(String mapName, BpfMap map) {
            reusedMaps.put(mapName, map);
            return this;
        }

        /**
         * Who resolves the object's CO-RE relocations: the runtime in user space, as libbpf does
         * ({@link CoreMode#USER_SPACE}, the default, works on every kernel with BTF), or the kernel
         * ({@link CoreMode#KERNEL}, Linux 5.17 and later).
         */
        public Builder coreRelocation(CoreMode mode) {
            coreMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Relocates CO-RE against this BTF file (raw BTF, as {@code /sys/kernel/btf/vmlinux} or BTFHub's files hold
         * it) instead of the running kernel's; the {@code ebpf.kernelBtf} system property does the same for every
         * load that does not set it. The file is read once per process.
         */
        public Builder kernelBtf(Path file) {
            kernelBtf = Objects.requireNonNull(file, "file");
            return this;
        }

        public LoadOptions build() {
            return new LoadOptions(this);
        }
    }
}
