// Section names lenient loaders accept and libbpf 1.x refuses, as tutorials and older examples still write them:
// prefixes libbpf read before 1.0 (the XDP tutorial's SEC("xdp_pass"), SEC("xdp_sock")), a leading dot, and
// "type/anything" for types libbpf matches exactly (cilium/ebpf's SEC("socket/..."), SEC("sk_lookup/...")).
#include "fixture.h"

SEC("xdp_pass")
int xdp_pass_func(struct xdp_md *ctx)
{
    return XDP_PASS;
}

SEC("xdp_sock")
int xdp_sock_prog(struct xdp_md *ctx)
{
    return XDP_PASS;
}

SEC(".xdp")
int dotted_xdp(struct xdp_md *ctx)
{
    return XDP_PASS;
}

SEC("xdp/firewall")
int xdp_with_suffix(struct xdp_md *ctx)
{
    return XDP_PASS;
}

SEC("socket/udp_filter")
int socket_with_suffix(struct __sk_buff *skb)
{
    return skb->len;
}

SEC("sk_lookup/dispatch")
int sk_lookup_with_suffix(struct bpf_sk_lookup *ctx)
{
    return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
