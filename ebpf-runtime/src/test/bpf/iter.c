// Two iterators over BPF maps that write different text: a link moved from one to the other changes the output;
// one over tasks, which a map iterator's link cannot take.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("iter/bpf_map")
int first(struct bpf_iter__bpf_map *ctx)
{
    if (ctx->map)
        bpf_seq_write(ctx->meta->seq, "first\n", 6);
    return 0;
}

SEC("iter/bpf_map")
int second(struct bpf_iter__bpf_map *ctx)
{
    if (ctx->map)
        bpf_seq_write(ctx->meta->seq, "second\n", 7);
    return 0;
}

SEC("iter/task")
int tasks(struct bpf_iter__task *ctx)
{
    if (ctx->task)
        bpf_seq_write(ctx->meta->seq, "task\n", 5);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
