package io.github.bpf2java.ebpf.attach;

/** Flags of the legacy cgroup attachment ({@code BPF_PROG_ATTACH}), saying what descendant cgroups may attach. */
public enum CgroupAttachFlag {
    /** {@code BPF_F_ALLOW_OVERRIDE}: a program in a descendant cgroup replaces this one there. */
    ALLOW_OVERRIDE(1),
    /** {@code BPF_F_ALLOW_MULTI}: several programs per cgroup and hook, all run, descendants' too. */
    ALLOW_MULTI(1 << 1);

    private final int value;

    CgroupAttachFlag(int value) {
        this.value = value;
    }

    /** The UAPI value. */
    public int value() {
        return value;
    }
}
