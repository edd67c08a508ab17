// Probe programs through our headers, compiled for an architecture target (__TARGET_ARCH_*): a uprobe and a
// uretprobe on a test binary, a kprobe and a syscall kprobe (loaded; attaching needs kprobes in the kernel), and
// raw tracepoints with BPF_PROG and BPF_PROG2.
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__s32 target_tgid;
__u64 uprobe_calls;
__s64 uprobe_sum;
__u64 uprobe_last_c;
__u64 uretprobe_calls;
__s64 uretprobe_last;
__u64 ip_seen;
__u64 sp_seen;
__u64 raw_calls;
__u64 raw2_calls;
__s64 raw_last_id;
__s64 raw2_last_id;
__u64 kprobe_calls;
__s64 ksyscall_last_dfd;

static __always_inline int is_target(void)
{
    return (__s32)(bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("uprobe")
int BPF_UPROBE(on_add3, int a, long b, char c)
{
    __sync_fetch_and_add(&uprobe_calls, 1);
    __sync_fetch_and_add(&uprobe_sum, a + b);
    uprobe_last_c = c;
    ip_seen = PT_REGS_IP(ctx);
    sp_seen = PT_REGS_SP(ctx);
    return 0;
}

SEC("uretprobe")
int BPF_URETPROBE(on_add3_return, long ret)
{
    __sync_fetch_and_add(&uretprobe_calls, 1);
    uretprobe_last = ret;
    return 0;
}

SEC("kprobe/do_sys_openat2")
int BPF_KPROBE(on_openat2, int dfd, const char *filename, void *how)
{
    if (is_target())
        __sync_fetch_and_add(&kprobe_calls, 1 + (filename != 0) + (how != 0) * 0);
    return 0;
}

SEC("kretprobe/do_sys_openat2")
int BPF_KRETPROBE(on_openat2_return, long ret)
{
    return ret > 0 ? 0 : 0;
}

SEC("ksyscall/openat")
int BPF_KSYSCALL(on_openat_syscall, int dfd, const char *pathname, int flags, int mode)
{
    if (is_target())
        ksyscall_last_dfd = dfd + flags * 0 + mode * 0 + (pathname != 0) * 0
                + (LINUX_HAS_SYSCALL_WRAPPER ? 0 * (long)PT_REGS_SYSCALL_REGS(ctx) : 0);
    return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
    if (is_target()) {
        __sync_fetch_and_add(&raw_calls, 1);
        raw_last_id = id;
    }
    return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG2(on_sys_enter2, struct pt_regs *, regs, long, id)
{
    if (is_target()) {
        __sync_fetch_and_add(&raw2_calls, 1);
        raw2_last_id = id;
    }
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
