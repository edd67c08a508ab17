// Packet programs for test runs (BPF_PROG_TEST_RUN): an XDP filter, a tc rewrite with checksum fixes and a socket
// filter, each run on frames built in Java.
#include "fixture.h"
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <stddef.h>
#include <bpf/bpf_endian.h>

#define BLOCKED_PORT 9999
#define REWRITTEN_FROM 5353
#define REWRITTEN_TO 5354

// Drops UDP to BLOCKED_PORT over IPv4 or IPv6; passes everything else.
SEC("xdp")
int xdp_drop_udp_port(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > data_end)
        return XDP_ABORTED;
    struct udphdr *udp;
    if (eth->h_proto == bpf_htons(ETH_P_IP)) {
        struct iphdr *ip = (void *)(eth + 1);
        if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP)
            return XDP_PASS;
        udp = (void *)ip + ip->ihl * 4;
    } else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
        struct ipv6hdr *ip6 = (void *)(eth + 1);
        if ((void *)(ip6 + 1) > data_end || ip6->nexthdr != IPPROTO_UDP)
            return XDP_PASS;
        udp = (void *)(ip6 + 1);
    } else {
        return XDP_PASS;
    }
    if ((void *)(udp + 1) > data_end)
        return XDP_PASS;
    return udp->dest == bpf_htons(BLOCKED_PORT) ? XDP_DROP : XDP_PASS;
}

#define IP_OFF ETH_HLEN
#define IP_TTL_OFF (IP_OFF + offsetof(struct iphdr, ttl))
#define IP_CSUM_OFF (IP_OFF + offsetof(struct iphdr, check))
#define UDP_OFF (IP_OFF + sizeof(struct iphdr))
#define UDP_DPORT_OFF (UDP_OFF + offsetof(struct udphdr, dest))
#define UDP_CSUM_OFF (UDP_OFF + offsetof(struct udphdr, check))

// For IPv4 (no options): decrements the TTL and, for UDP to REWRITTEN_FROM, sets the port to REWRITTEN_TO, fixing the
// IPv4 header checksum and the UDP checksum incrementally with the kernel's helpers.
SEC("tc")
int tc_rewrite(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct ethhdr *eth = data;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
        return TC_ACT_OK;
    // TTL shares a 16-bit checksum word with the protocol byte: replace the whole word.
    __u16 old_word = *(__u16 *)&ip->ttl;
    __u8 ttl = ip->ttl - 1;
    __u8 protocol = ip->protocol;
    bpf_skb_store_bytes(skb, IP_TTL_OFF, &ttl, 1, 0);
    data = (void *)(long)skb->data;
    data_end = (void *)(long)skb->data_end;
    ip = data + IP_OFF;
    if ((void *)(ip + 1) > data_end)
        return TC_ACT_SHOT;
    __u16 new_word = *(__u16 *)&ip->ttl;
    bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_word, new_word, sizeof(__u16));
    if (protocol != IPPROTO_UDP)
        return TC_ACT_OK;
    __be16 old_port;
    if (bpf_skb_load_bytes(skb, UDP_DPORT_OFF, &old_port, sizeof(old_port)) < 0)
        return TC_ACT_OK;
    if (old_port != bpf_htons(REWRITTEN_FROM))
        return TC_ACT_OK;
    __be16 new_port = bpf_htons(REWRITTEN_TO);
    bpf_l4_csum_replace(skb, UDP_CSUM_OFF, old_port, new_port, sizeof(new_port));
    bpf_skb_store_bytes(skb, UDP_DPORT_OFF, &new_port, sizeof(new_port), 0);
    return TC_ACT_OK;
}

// The VLAN tags of the frame as the program sees them: the tag control information of a single tag, or the outer
// one's shifted left 16 bits and or-ed with the inner one's; -1 untagged or too short. Checks that each inner tag
// and the payload's EtherType follow where the tags say.
SEC("tc")
int tc_vlan_tags(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct ethhdr *eth = data;
    __be16 *tag = (void *)(eth + 1);
    if ((void *)(tag + 4) > data_end)
        return -1;
    if (eth->h_proto != bpf_htons(ETH_P_8021Q) && eth->h_proto != bpf_htons(ETH_P_8021AD))
        return -1;
    if (tag[1] == bpf_htons(ETH_P_IP))
        return bpf_ntohs(tag[0]);
    if (eth->h_proto != bpf_htons(ETH_P_8021AD) || tag[1] != bpf_htons(ETH_P_8021Q) || tag[3] != bpf_htons(ETH_P_IP))
        return -2;
    return (int)((__u32)bpf_ntohs(tag[0]) << 16 | bpf_ntohs(tag[2]));
}

// Keeps UDP datagrams whole and drops everything else. Socket filters see the skb from the network header on.
SEC("socket")
int socket_keep_udp(struct __sk_buff *skb)
{
    __u8 protocol = 0;
    if (skb->protocol != bpf_htons(ETH_P_IP))
        return 0;
    if (bpf_skb_load_bytes(skb, offsetof(struct iphdr, protocol), &protocol, 1) < 0)
        return 0;
    return protocol == IPPROTO_UDP ? skb->len : 0;
}

char __license[] SEC("license") = "Dual MIT/GPL";
