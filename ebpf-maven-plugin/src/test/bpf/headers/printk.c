// bpf_printk through our headers: up to 3 arguments via bpf_trace_printk, more via bpf_trace_vprintk. The
// results of the calls are kept so the test sees what the kernel wrote.
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 token;
__u32 calls;
long plain_result = -1;
long three_result = -1;
long many_result = -1;
__s32 target_tgid;

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
    if ((__s32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
        return 0;
    __sync_fetch_and_add(&calls, 1);
    plain_result = bpf_printk("bpf2java headers: plain");
    three_result = bpf_printk("bpf2java headers: %llu %d %s", token, 3, "three");
    many_result = bpf_printk("bpf2java headers: %llu %d %d %d %d %d", token, 1, 2, 3, 4, 5);
    return 0;
}

BPF_LICENSE("GPL");
