// A global in BPF arena memory (__arena, clang 18+ puts it in .addr_space.1): the object must parse, so a build can
// generate its class, and the load must say that arenas are not supported yet.
#include "fixture.h"

struct {
    __uint(type, 33 /* BPF_MAP_TYPE_ARENA, newer than these headers */);
    __uint(map_flags, BPF_F_MMAPABLE);
    __uint(max_entries, 1);
} arena SEC(".maps");

int __attribute__((address_space(1))) shared_counter;

SEC("syscall")
int bump(void *ctx)
{
    shared_counter++;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
