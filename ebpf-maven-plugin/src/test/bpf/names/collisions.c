// SPDX-License-Identifier: GPL-2.0
/*
 * C names that are also the names generated bodies use (parameters, locals, fields: value, object, buffer, offset,
 * bytes, builder, consumer, other, that ...): libbpf-bootstrap's lsm.bpf.c has a `char value[32]`. Whatever the C
 * names, the generated class must compile.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct record {
    __u32 value;
    __u32 buffer;
    __u32 offset;
    __u32 other;
    __u32 that;
    __u64 size;
    char bytes[4];
};

union codec {
    __u32 value;
    __u8 bytes[4];
};

/* .bss and .data */
char value[32];
int codec;
__u32 object;
char buffer[16];
__u8 bytes[8];
__u16 size;
__s64 offset;
int builder;
char variable[8];
__u32 consumer;
struct record other = {};
union codec that = {};
/* .rodata */
const volatile __u32 settings_index = 0;
const volatile char options[4] = "opt";
const volatile __u8 settings = 0;
const volatile __u32 entries = 0;

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, struct record);
} spec SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} key SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
    __type(value, struct record);
} links SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(max_entries, 4);
    __type(value, __u32);
} e SEC(".maps");

SEC("xdp")
int load(struct xdp_md *ctx)
{
    __u32 k = 0;
    struct record *r = bpf_map_lookup_elem(&spec, &k);
    if (r)
        r->value = value[0] + codec + object + buffer[0] + bytes[0] + size + offset + builder + variable[0]
                + consumer + other.value + that.value + settings_index + options[0] + settings + entries;
    bpf_map_lookup_elem(&key, &k);
    bpf_map_push_elem(&e, &k, 0);
    bpf_ringbuf_output(&links, &other, sizeof(other), 0);
    return XDP_PASS;
}

SEC("xdp")
int attach(struct xdp_md *ctx)
{
    return XDP_PASS;
}

SEC("xdp")
int close(struct xdp_md *ctx)
{
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
