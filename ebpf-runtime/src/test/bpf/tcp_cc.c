// A minimal TCP congestion control in BPF, shaped like the kernel selftests' bpf_dctcp and bpf_cubic: Reno's
// behaviour through the kernel's tcp_reno_* kfuncs, with counters a test reads to see the kernel call it. Two
// registrations of the same programs: one through a bpf_link (.struct_ops.link, Linux 6.4+), one by the map's
// update (.struct_ops, older kernels).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern __u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern __u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, __u32 ack, __u32 acked) __ksym;

__u64 inits;
__u64 cong_avoids;

SEC("struct_ops")
void BPF_PROG(b2j_init, struct sock *sk)
{
    __sync_fetch_and_add(&inits, 1);
}

SEC("struct_ops")
__u32 BPF_PROG(b2j_ssthresh, struct sock *sk)
{
    return tcp_reno_ssthresh(sk);
}

SEC("struct_ops")
void BPF_PROG(b2j_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
    __sync_fetch_and_add(&cong_avoids, 1);
    tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops")
__u32 BPF_PROG(b2j_undo_cwnd, struct sock *sk)
{
    return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops.link")
struct tcp_congestion_ops b2j_reno = {
    .init = (void *)b2j_init,
    .ssthresh = (void *)b2j_ssthresh,
    .cong_avoid = (void *)b2j_cong_avoid,
    .undo_cwnd = (void *)b2j_undo_cwnd,
    .name = "bpf2java_reno",
};

SEC(".struct_ops")
struct tcp_congestion_ops b2j_reno_old = {
    .init = (void *)b2j_init,
    .ssthresh = (void *)b2j_ssthresh,
    .cong_avoid = (void *)b2j_cong_avoid,
    .undo_cwnd = (void *)b2j_undo_cwnd,
    .name = "bpf2java_reno_o",
};

char LICENSE[] SEC("license") = "GPL";
