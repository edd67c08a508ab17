// A uretprobe on bash's readline(): each time readline returns a line, in any bash on the machine, the program
// copies the line and the process id into a queue map, which Java drains.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// Where struct pt_regs keeps a function's return value, in 8-byte words: rax on x86-64, x0 on arm64. This example
// is built for both architectures on one machine, which has only its own kernel's struct pt_regs. Built for this
// machine's architecture alone, the simpler way is #include "vmlinux.h" and <bpf/bpf_tracing.h>, then
//     SEC("uretprobe//bin/bash:readline")
//     int BPF_URETPROBE(bash_readline, const char *ret) { ... }
// (the plugin's BPF_URETPROBE reads the register for the architecture it compiles for).
#if defined(__TARGET_ARCH_x86)
#define RETURN_VALUE_WORD 10
#elif defined(__TARGET_ARCH_arm64)
#define RETURN_VALUE_WORD 0
#else
#error "add the return value register of this architecture"
#endif

struct event {
    __u32 pid;
    char line[80];
};

struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(max_entries, 1024);
    __type(value, struct event);
} lines SEC(".maps");

// The section names the binary and function, so attach() finds the target itself.
SEC("uretprobe//bin/bash:readline")
int bash_readline(const __u64 *regs)
{
    const void *ret = (const void *)regs[RETURN_VALUE_WORD];
    struct event event = {};

    if (!ret)
        return 0;
    event.pid = bpf_get_current_pid_tgid() >> 32;
    bpf_probe_read_user_str(event.line, sizeof(event.line), ret);
    bpf_map_push_elem(&lines, &event, BPF_ANY);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
