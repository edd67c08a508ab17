// SPDX-License-Identifier: GPL-2.0
// xdp: counts the packets arriving on a network interface per IPv4 source address. An XDP program runs on each
// received packet before the kernel allocates anything for it, so counting here costs the stack nothing; the counts
// live in an LRU hash map that Java reads as Xdp.packetsBySource().
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// A bound on the map, not on the traffic: when more sources send, the least recently counted one is evicted.
#define MAX_SOURCES 16

// LRU rather than a plain hash: a plain hash stops taking new sources once full, an LRU one forgets old ones.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, MAX_SOURCES);
    __type(key, __be32);  // the IPv4 source address, as the header holds it (network byte order)
    __type(value, __u32); // packets from it
} packets_by_source SEC(".maps");

// Sets *saddr to the packet's IPv4 source address; returns 0 when the packet is not IPv4 over Ethernet or too short
// for the headers. The verifier refuses a read it cannot prove ends before data_end, hence each header's check.
static __always_inline int ipv4_source(struct xdp_md *ctx, __be32 *saddr)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;

    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > data_end)
        return 0;
    if (eth->h_proto != bpf_htons(ETH_P_IP))
        return 0;

    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end)
        return 0;
    *saddr = ip->saddr;
    return 1;
}

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
    __be32 saddr;
    if (!ipv4_source(ctx, &saddr))
        return XDP_PASS; // ARP, IPv6, ...: not counted, and never dropped

    // Packets from one source arrive on several CPUs at once: the add is atomic, and only one CPU creates the entry.
    __u32 *packets = bpf_map_lookup_elem(&packets_by_source, &saddr);
    if (packets) {
        __sync_fetch_and_add(packets, 1);
        return XDP_PASS;
    }
    __u32 first = 1;
    if (bpf_map_update_elem(&packets_by_source, &saddr, &first, BPF_NOEXIST) != 0) {
        // Another CPU created the entry between the lookup and the update (-EEXIST): add to that one.
        packets = bpf_map_lookup_elem(&packets_by_source, &saddr);
        if (packets)
            __sync_fetch_and_add(packets, 1);
    }
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
