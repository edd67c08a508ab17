package io.github.bpf2java.ebpf.spec;

import java.util.Optional;

/**
 * One BPF program: a global or static function in an executable section other than {@code .text}.
 *
 * @param name               the C function name
 * @param sectionName        the ELF section, e.g. {@code tracepoint/syscalls/sys_enter_execve}
 * @param type               the program type the section name implies, empty when the section is unknown
 * @param expectedAttachType the expected attach type the section name implies, empty when none
 * @param attachTarget       what the section names as target, e.g. {@code syscalls/sys_enter_execve}, or empty
 * @param sectionDef         the entry of the section-name table that matched, when one did
 * @param sleepable          whether the section asks for a sleepable program ({@code .s} variants)
 * @param function           the program's own code; calls into subprograms are resolved by name through
 *                           {@link ObjectSpec#functions()}
 * @param autoload           whether a load without a program selection loads it: false for libbpf's
 *                           {@code SEC("?...")} sections, which are loaded only when asked for by name
 */
public record ProgramSpec(
        String name,
        String sectionName,
        Optional<ProgramType> type,
        Optional<AttachType> expectedAttachType,
        String attachTarget,
        Optional<SectionDef> sectionDef,
        boolean sleepable,
        FunctionSpec function,
        boolean autoload) {

    /** A program that loads by default. */
    public ProgramSpec(String name, String sectionName, Optional<ProgramType> type,
            Optional<AttachType> expectedAttachType, String attachTarget, Optional<SectionDef> sectionDef,
            boolean sleepable, FunctionSpec function) {
        this(name, sectionName, type, expectedAttachType, attachTarget, sectionDef, sleepable, function, true);
    }

    /**
     * One line for logs, e.g. {@code ProgramSpec[count_execs in tracepoint/syscalls/sys_enter_execve, TRACEPOINT,
     * 42 instructions]}; the code and its relocations are in {@link #function()}.
     */
    @Override
    public String toString() {
        return "ProgramSpec[" + name + " in " + sectionName + ", " + type.map(Enum::name).orElse("unknown type")
                + expectedAttachType.map(a -> ", attach type " + a).orElse("") + (sleepable ? ", sleepable" : "")
                + (autoload ? "" : ", not autoloaded") + ", " + function.instructionCount() + " instructions]";
    }
}
