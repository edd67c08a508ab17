// bpf_printk with BPF_NO_GLOBAL_DATA: the format lives on the stack, so the object has no .rodata for it.
#define BPF_NO_GLOBAL_DATA
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
    bpf_printk("no global data: %d", 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
