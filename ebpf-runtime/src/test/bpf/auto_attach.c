// A multi-program object for auto-attach: three sections say where they go, four leave the target to the caller.
#include "fixture.h"

__u64 getppid_calls;
__u64 getenv_calls;

SEC("tp/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
    __sync_fetch_and_add(&getppid_calls, 1);
    return 0;
}

SEC("uprobe/libc.so.6:getenv")
int on_getenv(void *ctx)
{
    __sync_fetch_and_add(&getenv_calls, 1);
    return 0;
}

SEC("uretprobe//bin/bash:readline")
int on_readline(void *ctx) { return 0; }

SEC("xdp")
int pass_packets(struct xdp_md *ctx) { return XDP_PASS; }

SEC("perf_event")
int sample(void *ctx) { return 0; }

SEC("kprobe")
int some_kernel_function(void *ctx) { return 0; }

SEC("uprobe")
int some_user_function(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";
