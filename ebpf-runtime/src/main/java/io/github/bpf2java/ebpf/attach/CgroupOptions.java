package io.github.bpf2java.ebpf.attach;

import io.github.bpf2java.ebpf.spec.AttachType;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to attach a program to a cgroup: the attach type (by default the one the program's section implies, e.g.
 * {@code cgroup_skb/ingress}), and whether to use a {@code bpf_link} (Linux 5.7+, detached when closed or when the
 * process dies) or the legacy {@code BPF_PROG_ATTACH} with its flags, which stays until detached.
 *
 * <p>A legacy attachment in exclusive or {@link CgroupAttachFlag#ALLOW_OVERRIDE} mode is replaced, without an
 * error, by the next such attachment to the same cgroup and hook; closing the replaced one's {@code BpfLink} then
 * leaves the replacement attached. Only {@link CgroupAttachFlag#ALLOW_MULTI} attachments and links run side by side.
 *
 * @param attachType       the hook, when the section does not say (e.g. {@code SEC("cgroup/skb")})
 * @param legacyAttachment whether to use {@code BPF_PROG_ATTACH} rather than a link
 * @param flags            the legacy attachment's flags; empty for a link
 */
public record CgroupOptions(Optional<AttachType> attachType, boolean legacyAttachment,
        Set<CgroupAttachFlag> flags) {

    public CgroupOptions {
        Objects.requireNonNull(attachType, "attachType");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        if (!legacyAttachment && !flags.isEmpty()) {
            throw new IllegalArgumentException("attach flags " + flags + " belong to the legacy attachment; use "
                    + "CgroupOptions.legacy(...)");
        }
        if (flags.contains(CgroupAttachFlag.ALLOW_MULTI) && flags.contains(CgroupAttachFlag.ALLOW_OVERRIDE)) {
            throw new IllegalArgumentException("ALLOW_MULTI and ALLOW_OVERRIDE exclude each other");
        }
    }

    /**
     * A {@code bpf_link} with the section's attach type; on kernels without cgroup links (before 5.7) the legacy
     * attachment with {@link CgroupAttachFlag#ALLOW_MULTI}.
     */
    public static CgroupOptions defaults() {
        return new CgroupOptions(Optional.empty(), false, Set.of());
    }

    /**
     * The legacy attachment ({@code BPF_PROG_ATTACH}) with {@code flags}: {@code legacy()} is exclusive (no other
     * program at this cgroup's hook, none in its descendants), {@code legacy(ALLOW_OVERRIDE)} lets descendants
     * replace it, {@code legacy(ALLOW_MULTI)} runs it beside others.
     *
     * @throws IllegalArgumentException when both flags are given: they exclude each other
     */
    public static CgroupOptions legacy(CgroupAttachFlag... flags) {
        Set<CgroupAttachFlag> set = EnumSet.noneOf(CgroupAttachFlag.class);
        set.addAll(List.of(flags));
        return new CgroupOptions(Optional.empty(), true, set);
    }

    /** These options at the hook {@code type}, e.g. {@link AttachType#CGROUP_INET_EGRESS}. */
    public CgroupOptions withAttachType(AttachType type) {
        return new CgroupOptions(Optional.of(type), legacyAttachment, flags);
    }
}
