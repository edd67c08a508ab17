// kprobe/kretprobe on a kernel function with BPF_KPROBE (needs the __TARGET_ARCH_* define) and a CO-RE string read.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(unlink_entry, int dfd, struct filename *name)
{
    const char *path = BPF_CORE_READ(name, name);

    bpf_printk("unlink pid %d %s", bpf_get_current_pid_tgid() >> 32, path);
    return 0;
}

SEC("kretprobe/do_unlinkat")
int BPF_KRETPROBE(unlink_exit, long ret)
{
    bpf_printk("unlink returned %ld", ret);
    return 0;
}

SEC("ksyscall/kill")
int BPF_KSYSCALL(kill_entry, pid_t pid, int sig)
{
    bpf_printk("kill(%d, %d)", pid, sig);
    return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
