/* Writes one line to the trace pipe per execve(2), marked so a test can tell its own lines from others'. */
#include "fixture.h"

/* Set by the test before load: a value no other run of this fixture uses. */
const volatile __u32 marker = 0;

SEC("tracepoint/syscalls/sys_enter_execve")
int print_exec(void *ctx)
{
    int pid = bpf_get_current_pid_tgid() >> 32;

    bpf_printk("trace_printk fixture %u: exec by %d", marker, pid);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
