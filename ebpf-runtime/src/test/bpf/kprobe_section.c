// A tracepoint and a kprobe whose section names its function: auto-attach must attach both or fail loudly.
#include "fixture.h"

__u64 getppid_calls;
__u64 openat_calls;

SEC("tp/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
    __sync_fetch_and_add(&getppid_calls, 1);
    return 0;
}

SEC("kprobe/do_sys_openat2")
int on_openat(void *ctx)
{
    __sync_fetch_and_add(&openat_calls, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
