// fentry/fexit with BPF_PROG: typed arguments from the kernel's BTF (the kernel may refuse trampolines: EPERM).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("fentry/do_unlinkat")
int BPF_PROG(unlink_enter, int dfd, struct filename *name)
{
    bpf_printk("fentry unlink %s", name->name);
    return 0;
}

SEC("fexit/do_unlinkat")
int BPF_PROG(unlink_done, int dfd, struct filename *name, long ret)
{
    bpf_printk("fexit unlink %s = %ld", name->name, ret);
    return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
