package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.internal.link.SectionTarget;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What {@link BpfObject#attachAll()} did: the links it made, and every loaded program it left alone because its
 * section does not say where it goes, each with the method that attaches it. Nothing is skipped silently: a program
 * is either in {@link #links()} or in {@link #unattached()} (those that run without attaching, tail-call targets and
 * syscall programs, too, marked so).
 *
 * <pre>{@code
 * AttachReport report = object.attachAll();
 * report.unattached().forEach(u -> System.err.println(u.message()));
 * // or, when every program must be attached:
 * object.attachAll().requireComplete();
 * }</pre>
 */
public final class AttachReport {
    private final String objectName;
    private final List<BpfLink> links;
    private final List<Unattached> unattached;

    AttachReport(String objectName, List<BpfLink> links, List<Unattached> unattached) {
        this.objectName = objectName;
        this.links = List.copyOf(links);
        this.unattached = List.copyOf(unattached);
    }

    /** The links made, one per attached program, in program order; they belong to the object. */
    public List<BpfLink> links() {
        return links;
    }

    /** The programs not attached, with why and how to attach each; empty when every program was attached. */
    public List<Unattached> unattached() {
        return unattached;
    }

    /**
     * Whether every loaded program that needs attaching was attached: all but those that run without (see
     * {@link Unattached#needsAttaching()}).
     */
    public boolean complete() {
        return unattached.stream().noneMatch(Unattached::needsAttaching);
    }

    /**
     * Returns this report when every program that needs attaching was attached.
     *
     * @throws BpfException naming each program left unattached that needs attaching and the method to call for it
     *     (the links made stay attached and close with the object)
     */
    public AttachReport requireComplete() {
        List<Unattached> missing = unattached.stream().filter(Unattached::needsAttaching).toList();
        if (!missing.isEmpty()) {
            throw new BpfException(objectName + ": " + missing.size() + " program" + (missing.size() == 1
                    ? " was" : "s were") + " not attached: " + missing.stream().map(Unattached::message)
                            .collect(Collectors.joining("; ")), "attach them with the methods named, or leave "
                                    + "them out with LoadOptions.builder().programs(...)", null);
        }
        return this;
    }

    /**
     * What {@link BpfObject#attachAll()} (and {@link BpfProgram#attach()}) will do with {@code program}, decided from
     * its section alone, before anything is loaded: for build tools that document programs, such as the plugin's
     * generated classes. A tail-call target the object's program arrays hold is {@link Plan.Outcome#LEFT_OUT} here;
     * the report says more, as it knows the object.
     */
    public static Plan plan(ProgramSpec program) {
        SectionTarget target = SectionTarget.of(program);
        if (target instanceof SectionTarget.Manual manual) {
            return new Plan(Plan.Outcome.LEFT_OUT, manual.reason());
        } else if (target instanceof SectionTarget.Invalid invalid) {
            return new Plan(Plan.Outcome.REFUSED, invalid.problem());
        }
        return new Plan(Plan.Outcome.ATTACHED, "");
    }

    /**
     * What attaching a program by its section does, from {@link #plan}.
     *
     * @param outcome attached, left out, or refused
     * @param detail  for {@link Outcome#LEFT_OUT}, what the section leaves open ({@code needs a network interface});
     *                for {@link Outcome#REFUSED}, what is wrong with the target it names ({@code does not name its
     *                target as <binary>:<function>[+<offset>]}); empty for {@link Outcome#ATTACHED}
     */
    public record Plan(Outcome outcome, String detail) {
        /** What happens to the program. */
        public enum Outcome {
            /** Attached where its section says. */
            ATTACHED,
            /** Not attached, and listed in the report with the method that attaches it. */
            LEFT_OUT,
            /** Its section names a target in a form its kind does not take: attaching by section throws. */
            REFUSED
        }

        public Plan {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
        }
    }

    @Override
    public String toString() {
        return "AttachReport[" + objectName + ": attached " + links.stream().map(BpfLink::description).toList()
                + (unattached.isEmpty() ? "" : ", not attached: " + unattached.stream().map(Unattached::message)
                        .toList()) + "]";
    }

    /**
     * A program {@link BpfObject#attachAll()} did not attach.
     *
     * @param program     the program
     * @param reason      what its section leaves open, e.g. {@code needs a network interface}
     * @param howToAttach    the call that attaches it, e.g. {@code program.attachXdp("eth0")}; empty when there is
     *                       no such call (struct_ops programs are registered through their map)
     * @param needsAttaching false for a program that runs without being attached: a tail-call target the object's
     *                       program arrays hold, a {@code SEC("syscall")} program (run with
     *                       {@link BpfProgram#testRun}); {@link #requireComplete()} leaves those out
     */
    public record Unattached(BpfProgram program, String reason, String howToAttach, boolean needsAttaching) {
        /** E.g. {@code xdp program 'drop_all' needs a network interface: program.attachXdp("eth0")}. */
        public String message() {
            return SectionTarget.programKind(program.spec(), program.type()) + " program '" + program.name() + "' (section '"
                    + program.sectionName() + "') " + reason + (howToAttach.isEmpty() ? "" : ": " + howToAttach);
        }
    }
}
