// Networking programs for the attach tests: each counts what it sees in `counts` and drops UDP datagrams to
// `drop_port`, so a test can tell from both the counter and the traffic that the program ran where it was attached.
#include "fixture.h"
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>

// counts[0]: UDP datagrams to drop_port a program dropped; [1]: packets a counting program saw; [2]: socket-filter
// datagrams seen; [3]: connections sk_lookup steered; [4]: packets netfilter saw; [5]: messages sk_msg saw; [6]: the
// index sk_reuseport picks (set by the test); [7]: connections sk_reuseport placed.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 8);
} counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_SOCKMAP);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 1);
} sockets SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_SOCKMAP);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 2);
} msg_sockets SEC(".maps");

// The listeners of one SO_REUSEPORT group, by index.
struct {
    __uint(type, BPF_MAP_TYPE_REUSEPORT_SOCKARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 4);
} reuseport_group SEC(".maps");

volatile const __u16 drop_port = 9;
volatile const __u16 steer_port = 9;

static __always_inline void bump(__u32 slot)
{
    __u64 *value = bpf_map_lookup_elem(&counts, &slot);
    if (value)
        __sync_fetch_and_add(value, 1);
}

// Whether the Ethernet frame in [data, end) is UDP over IPv4 to drop_port.
static __always_inline int udp_to_drop_port(void *data, void *end)
{
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
        return 0;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_UDP || ip->ihl != 5)
        return 0;
    struct udphdr *udp = (void *)(ip + 1);
    if ((void *)(udp + 1) > end)
        return 0;
    return udp->dest == bpf_htons(drop_port);
}

// A program for device map entries: it would run on the frames an entry sends out (egress_ifindex is the entry's
// interface); the tests put it into entries from Java.
SEC("xdp/devmap")
int xdp_on_entry(struct xdp_md *ctx)
{
    return ctx->egress_ifindex ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
    if (udp_to_drop_port((void *)(long)ctx->data, (void *)(long)ctx->data_end)) {
        bump(0);
        return XDP_DROP;
    }
    return XDP_PASS;
}

SEC("tc")
int tc_drop(struct __sk_buff *skb)
{
    if (udp_to_drop_port((void *)(long)skb->data, (void *)(long)skb->data_end)) {
        bump(0);
        return TC_ACT_SHOT;
    }
    return TC_ACT_OK;
}

// tcx return codes (linux/bpf.h 6.6+): go on with the next program, or drop.
#define TCX_NEXT -1
#define TCX_DROP 2

SEC("tcx/ingress")
int tcx_drop(struct __sk_buff *skb)
{
    if (udp_to_drop_port((void *)(long)skb->data, (void *)(long)skb->data_end)) {
        bump(0);
        return TCX_DROP;
    }
    return TCX_NEXT;
}

// Counts UDP datagrams to drop_port and lets the next program decide: placed before tcx_drop it sees them all,
// after it none.
SEC("tcx/ingress")
int tcx_count(struct __sk_buff *skb)
{
    if (udp_to_drop_port((void *)(long)skb->data, (void *)(long)skb->data_end))
        bump(1);
    return TCX_NEXT;
}

SEC("cgroup_skb/egress")
int cgroup_count(struct __sk_buff *skb)
{
    bump(1);
    return 1;
}

SEC("cgroup_skb/egress")
int cgroup_count_too(struct __sk_buff *skb)
{
    bump(0);
    return 1;
}

// Counts the sockets a cgroup's processes create.
SEC("cgroup/sock_create")
int cgroup_sock_count(struct bpf_sock *sk)
{
    bump(6);
    return 1;
}

// Refuses IPv4 connects to drop_port (the caller sees EPERM).
SEC("cgroup/connect4")
int cgroup_connect_deny(struct bpf_sock_addr *ctx)
{
    if (ctx->user_port == bpf_htons(drop_port)) {
        bump(7);
        return 0;
    }
    return 1;
}

// Refuses every sysctl read in the cgroup; writes are left alone (and this test makes none).
SEC("cgroup/sysctl")
int cgroup_sysctl_deny_reads(struct bpf_sysctl *ctx)
{
    if (!ctx->write) {
        bump(7);
        return 0;
    }
    return 1;
}

// Refuses access to /dev/null (character device 1:3).
SEC("cgroup/dev")
int cgroup_dev_deny_null(struct bpf_cgroup_dev_ctx *ctx)
{
    if ((ctx->access_type & 0xffff) == BPF_DEVCG_DEV_CHAR && ctx->major == 1 && ctx->minor == 3) {
        bump(7);
        return 0;
    }
    return 1;
}

// Sees UDP datagrams from their UDP header on: drops those whose payload starts with 'D', keeps the others whole.
SEC("socket")
int socket_drop_d(struct __sk_buff *skb)
{
    char first = 0;
    bump(2);
    if (bpf_skb_load_bytes(skb, sizeof(struct udphdr), &first, 1) == 0 && first == 'D')
        return 0;
    return skb->len;
}

// Hands connections to steer_port to the socket in `sockets`, whatever port that socket listens on.
SEC("sk_lookup")
int steer(struct bpf_sk_lookup *ctx)
{
    __u32 zero = 0;
    if (ctx->local_port != steer_port)
        return SK_PASS;
    struct bpf_sock *sk = bpf_map_lookup_elem(&sockets, &zero);
    if (!sk)
        return SK_PASS;
    long err = bpf_sk_assign(ctx, sk, 0);
    bpf_sk_release(sk);
    if (err == 0)
        bump(3);
    return SK_PASS;
}

struct bpf_nf_ctx;

// Counts what leaves through the hook and lets it go (NF_ACCEPT).
SEC("netfilter")
int netfilter_count(struct bpf_nf_ctx *ctx)
{
    bump(4);
    return 1;
}

// Sees every message a socket in msg_sockets sends, and lets it go.
SEC("sk_msg")
int msg_count(struct sk_msg_md *msg)
{
    bump(5);
    return SK_PASS;
}

// Hands every new connection to the group's listener at the index counts[6] holds.
SEC("sk_reuseport")
int reuseport_pick(struct sk_reuseport_md *reuse)
{
    __u32 slot = 6;
    __u64 *pick = bpf_map_lookup_elem(&counts, &slot);
    __u32 index = pick ? (__u32)*pick : 0;
    if (bpf_sk_select_reuseport(reuse, &reuseport_group, &index, 0) != 0)
        return SK_DROP;
    bump(7);
    return SK_PASS;
}

SEC("flow_dissector")
int dissect(struct __sk_buff *skb)
{
    return BPF_OK;
}

char LICENSE[] SEC("license") = "GPL";
