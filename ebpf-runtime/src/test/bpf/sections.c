// One program per section kind that needs no kernel headers beyond the UAPI.
#include "fixture.h"

SEC("xdp") int prog_xdp(struct xdp_md *ctx) { return XDP_PASS; }
SEC("xdp.frags") int prog_xdp_frags(struct xdp_md *ctx) { return XDP_PASS; }
SEC("xdp/devmap") int prog_xdp_devmap(struct xdp_md *ctx) { return XDP_PASS; }
SEC("tc") int prog_tc(struct __sk_buff *skb) { return 0; }
SEC("tc/ingress") int prog_tc_ingress(struct __sk_buff *skb) { return 0; }
SEC("tcx/egress") int prog_tcx_egress(struct __sk_buff *skb) { return 0; }
SEC("classifier") int prog_classifier(struct __sk_buff *skb) { return 0; }
SEC("socket") int prog_socket(struct __sk_buff *skb) { return 0; }
SEC("cgroup_skb/ingress") int prog_cgroup_skb(struct __sk_buff *skb) { return 1; }
SEC("cgroup/connect4") int prog_connect4(struct bpf_sock_addr *ctx) { return 1; }
SEC("cgroup/sock_create") int prog_sock_create(struct bpf_sock *ctx) { return 1; }
SEC("cgroup/dev") int prog_dev(struct bpf_cgroup_dev_ctx *ctx) { return 1; }
SEC("cgroup/sysctl") int prog_sysctl(struct bpf_sysctl *ctx) { return 1; }
SEC("sockops") int prog_sockops(struct bpf_sock_ops *ctx) { return 1; }
SEC("sk_msg") int prog_sk_msg(struct sk_msg_md *ctx) { return SK_PASS; }
SEC("sk_skb/stream_verdict") int prog_sk_skb(struct __sk_buff *skb) { return SK_PASS; }
SEC("raw_tp/sched_switch") int prog_raw_tp(void *ctx) { return 0; }
SEC("kprobe/do_unlinkat") int prog_kprobe(void *ctx) { return 0; }
SEC("uretprobe.s/libc.so.6:malloc") int prog_uretprobe_s(void *ctx) { return 0; }
SEC("perf_event") int prog_perf_event(void *ctx) { return 0; }
SEC("lsm.s/file_open") int prog_lsm_s(void *ctx) { return 0; }
SEC("my_custom_section") int prog_unknown(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";
