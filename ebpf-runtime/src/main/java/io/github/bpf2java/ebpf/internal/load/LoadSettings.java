package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the loader needs to know beyond the spec: the facade's {@code LoadOptions}, already validated and copied.
 * A separate type so the loader does not depend on the facade that calls it.
 *
 * @param constants     initial bytes of global variables, by C name
 * @param maxEntries    {@code max_entries} overrides, by map name
 * @param valueSizes    {@code value_size} overrides, by map name
 * @param mapFlags      {@code map_flags} overrides, by map name
 * @param mapExtra      {@code map_extra} overrides, by map name
 * @param programTypes  program type overrides, by program name
 * @param attachTargets attach target overrides, by program name
 * @param programs      the programs to load, when not those the object marks for autoload
 * @param logLevel      the verifier log level for a failed load's retry, 1 or 2
 * @param replacements  what each freplace program replaces, by program name
 * @param pinRoot       the directory maps with {@code LIBBPF_PIN_BY_NAME} are pinned in and reused from
 * @param reusedMaps    existing maps to use instead of creating them, by map name; the loader duplicates their
 *                      descriptors and never closes these
 * @param core          how CO-RE relocations are resolved
 */
public record LoadSettings(Map<String, byte[]> constants, Map<String, Integer> maxEntries,
        Map<String, Integer> valueSizes, Map<String, Integer> mapFlags, Map<String, Long> mapExtra,
        Map<String, ProgramType> programTypes, Map<String, String> attachTargets, Optional<Set<String>> programs,
        int logLevel, Map<String, FunctionReplacement> replacements, Path pinRoot, Map<String, MapFd> reusedMaps,
        CoreSettings core) {

    /** Settings with the default CO-RE handling (user space, against the running kernel). */
    public LoadSettings(Map<String, byte[]> constants, Map<String, Integer> maxEntries,
            Map<String, Integer> valueSizes, Map<String, Integer> mapFlags, Map<String, Long> mapExtra,
            Map<String, ProgramType> programTypes, Map<String, String> attachTargets, Optional<Set<String>> programs,
            int logLevel, Map<String, FunctionReplacement> replacements, Path pinRoot, Map<String, MapFd> reusedMaps) {
        this(constants, maxEntries, valueSizes, mapFlags, mapExtra, programTypes, attachTargets, programs, logLevel,
                replacements, pinRoot, reusedMaps, CoreSettings.DEFAULT);
    }

    /** Settings without freplace targets, pinning or reused maps (pins by name go under {@code /sys/fs/bpf}). */
    public LoadSettings(Map<String, byte[]> constants, Map<String, Integer> maxEntries,
            Map<String, Integer> valueSizes, Map<String, Integer> mapFlags, Map<String, Long> mapExtra,
            Map<String, ProgramType> programTypes, Map<String, String> attachTargets, Optional<Set<String>> programs,
            int logLevel) {
        this(constants, maxEntries, valueSizes, mapFlags, mapExtra, programTypes, attachTargets, programs, logLevel,
                Map.of(), Path.of("/sys/fs/bpf"), Map.of());
    }
}
