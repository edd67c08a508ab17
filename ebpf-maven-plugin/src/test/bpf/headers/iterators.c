// Open-coded iterators from the plugin's bpf_helpers.h: bpf_for_each over numbers, bpf_for indexing an array (the
// verifier must know the index's bounds), bpf_repeat, and a break out of a loop (the iterator is destroyed on the
// way out, or the verifier refuses the program).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u64 values[16];
__u64 each_sum;
__u64 for_sum;
__u64 repeated;
__u64 before_break;
int times = 10;

SEC("syscall")
int iterate(void *ctx)
{
    int *v;
    __u64 sum = 0;
    bpf_for_each(num, v, 0, 16) {
        sum += *v;
    }
    each_sum = sum;

    int i;
    bpf_for(i, 0, 16) {
        values[i] = i * 3;
    }
    sum = 0;
    bpf_for(i, 0, 16) {
        sum += values[i];
    }
    for_sum = sum;

    __u64 count = 0;
    bpf_repeat(times) {
        count++;
    }
    repeated = count;

    sum = 0;
    bpf_for(i, 3, 100) {
        if (i == 7)
            break;
        sum += i;
    }
    before_break = sum;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
