// uprobes in libbpf's forms: bare "uprobe" (target given at attach), an auto-attach spec naming binary and
// function, a uretprobe, and a USDT probe through libbpf's usdt.bpf.h (its spec maps and a kconfig extern).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

SEC("uprobe")
int BPF_KPROBE(add_entry, int a, int b)
{
    bpf_printk("add(%d, %d)", a, b);
    return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(add_exit, int ret)
{
    bpf_printk("add = %d", ret);
    return 0;
}

SEC("uprobe//usr/lib/x86_64-linux-gnu/libc.so.6:malloc")
int BPF_KPROBE(malloc_entry, size_t size)
{
    bpf_printk("malloc(%lu)", size);
    return 0;
}

SEC("usdt")
int BPF_USDT(usdt_probe, long arg1, long arg2)
{
    bpf_printk("usdt %ld %ld", arg1, arg2);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
