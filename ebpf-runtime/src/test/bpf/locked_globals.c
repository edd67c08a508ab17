// Globals under a spin lock: the kernel maps no section holding one, so its variables are read through lookups,
// while a section without one stays mapped.
#include "fixture.h"

struct bpf_spin_lock lock SEC(".data.locks");
__u64 guarded SEC(".data.locks") = 1;
__u64 free_counter SEC(".data.free") = 1;

SEC("tc")
int bump(struct __sk_buff *skb)
{
    bpf_spin_lock(&lock);
    guarded++;
    bpf_spin_unlock(&lock);
    free_counter++;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
