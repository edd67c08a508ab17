// A USDT program through our usdt.bpf.h: the probe's arguments as parameters and through bpf_usdt_arg, its
// argument count and sizes, and the attach cookie.
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/usdt.bpf.h>

__u64 calls;
__s64 index_sum;
__s64 last_total;
__s64 last_minus;
__s64 arg_count;
__s64 total_size;
__s64 cookie;
__s64 missing_arg_error;

SEC("usdt")
int BPF_USDT(on_step, int i, long total, int minus)
{
    long again;
    __sync_fetch_and_add(&calls, 1);
    __sync_fetch_and_add(&index_sum, i);
    if (bpf_usdt_arg(ctx, 1, &again) == 0 && again == total)
        last_total = total;
    last_minus = minus;
    arg_count = bpf_usdt_arg_cnt(ctx);
    total_size = bpf_usdt_arg_size(ctx, 1);
    cookie = bpf_usdt_cookie(ctx);
    missing_arg_error = bpf_usdt_arg(ctx, 3, &again);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
