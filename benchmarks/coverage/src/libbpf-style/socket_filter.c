// A socket filter sending a summary of each packet through an untyped ring buffer, reading with bpf_skb_load_bytes.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct packet_summary {
    __u32 len;
    __u16 protocol;
    __u8 first_byte;
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 64 * 1024);
} packets SEC(".maps");

SEC("socket")
int summarize(struct __sk_buff *skb)
{
    struct packet_summary *s = bpf_ringbuf_reserve(&packets, sizeof(*s), 0);
    __u8 first = 0;

    if (!s)
        return 0;
    bpf_skb_load_bytes(skb, 0, &first, 1);
    s->len = skb->len;
    s->protocol = bpf_ntohs(skb->protocol);
    s->first_byte = first;
    bpf_ringbuf_submit(s, 0);
    return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
