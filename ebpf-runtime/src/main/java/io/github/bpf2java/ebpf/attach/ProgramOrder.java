package io.github.bpf2java.ebpf.attach;

/**
 * Where a program goes in an ordered list of programs on one hook (tcx and netkit, Linux 6.6+): appended at the end
 * by default, or first, or before or after a given program or link, optionally only if the list is still at an
 * expected revision (so two tools do not interleave blindly). The kernel's {@code BPF_F_BEFORE}, {@code BPF_F_AFTER},
 * {@code BPF_F_ID}, {@code BPF_F_LINK} and {@code expected_revision}.
 *
 * @param position         before or after the anchor
 * @param anchorId         the id of the program or link to place it next to; 0 for the whole list (first or last)
 * @param anchorIsLink     whether {@code anchorId} is a link's id rather than a program's
 * @param expectedRevision fail unless the list is at this revision; 0 for any
 */
public record ProgramOrder(Position position, int anchorId, boolean anchorIsLink, long expectedRevision) {

    /** Before or after the anchor. */
    public enum Position {
        /** {@code BPF_F_BEFORE}. */
        BEFORE,
        /** {@code BPF_F_AFTER}; with no anchor, the default: appended. */
        AFTER
    }

    public ProgramOrder {
        if (anchorId < 0) {
            throw new IllegalArgumentException("anchor id must not be negative: " + anchorId);
        }
    }

    /** At the end of the list (the default). */
    public static ProgramOrder last() {
        return new ProgramOrder(Position.AFTER, 0, false, 0);
    }

    /** At the front of the list. */
    public static ProgramOrder first() {
        return new ProgramOrder(Position.BEFORE, 0, false, 0);
    }

    /** Right before the program with id {@code programId}. */
    public static ProgramOrder beforeProgram(int programId) {
        return new ProgramOrder(Position.BEFORE, requireId(programId), false, 0);
    }

    /** Right after the program with id {@code programId}. */
    public static ProgramOrder afterProgram(int programId) {
        return new ProgramOrder(Position.AFTER, requireId(programId), false, 0);
    }

    /** Right before the program of the link with id {@code linkId}. */
    public static ProgramOrder beforeLink(int linkId) {
        return new ProgramOrder(Position.BEFORE, requireId(linkId), true, 0);
    }

    /** Right after the program of the link with id {@code linkId}. */
    public static ProgramOrder afterLink(int linkId) {
        return new ProgramOrder(Position.AFTER, requireId(linkId), true, 0);
    }

    /** This placement, only if the list is at {@code revision} when attaching. */
    public ProgramOrder withExpectedRevision(long revision) {
        return new ProgramOrder(position, anchorId, anchorIsLink, revision);
    }

    private static int requireId(int id) {
        if (id <= 0) {
            throw new IllegalArgumentException("ids of programs and links are positive: " + id);
        }
        return id;
    }
}
