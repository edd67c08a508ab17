// The seed's uretprobe: every line bash's readline() returns, from the bash whose process id is set in target_tgid.
// (A uretprobe takes effect at the function's next entry: a readline() already waiting when it attaches is missed.)
#include <stdbool.h>
#include <linux/ptrace.h>
#include "fixture.h"
#include <bpf/bpf_tracing.h>

__u32 target_tgid;
__u64 lines;
char last_line[80];

SEC("uretprobe//bin/bash:readline")
int BPF_KRETPROBE(on_readline, const void *ret)
{
    if (!ret)
        return 0;
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    if (tgid != target_tgid)
        return 0;
    bpf_probe_read_user_str(last_line, sizeof(last_line), ret);
    __sync_fetch_and_add(&lines, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
