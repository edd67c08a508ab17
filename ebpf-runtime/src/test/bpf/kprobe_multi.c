// One kprobe.multi program: counts calls of every kernel function it is attached to.
#include "fixture.h"

__u64 calls;

SEC("kprobe.multi")
int on_many_kernel_functions(void *ctx)
{
    __sync_fetch_and_add(&calls, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
