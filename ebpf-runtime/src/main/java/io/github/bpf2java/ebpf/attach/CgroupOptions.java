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
 * @param attachType the hook, when the section does not say (e.g. {@code SEC("cgroup/skb")})
 * @param legacy     whether to use {@code BPF_PROG_ATTACH} rather than a link
 * @param flags      the legacy attachment's flags; empty for a link
 */
public record CgroupOptions(Optional<AttachType> attachType, boolean legacy, Set<CgroupAttachFlag> flags) {

    public CgroupOptions {
        Objects.requireNonNull(attachType, "attachType");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        if (!legacy && !flags.isEmpty()) {
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

    /** The legacy attachment ({@code BPF_PROG_ATTACH}) with {@code flags}; none means exclusive. */
    public static CgroupOptions legacy(CgroupAttachFlag... flags) {
        Set<CgroupAttachFlag> set = EnumSet.noneOf(CgroupAttachFlag.class);
        set.addAll(List.of(flags));
        return new CgroupOptions(Optional.empty(), true, set);
    }

    /** These options at the hook {@code type}, e.g. {@link AttachType#CGROUP_INET_EGRESS}. */
    public CgroupOptions withAttachType(AttachType type) {
        return new CgroupOptions(Optional.of(type), legacy, flags);
    }
}
