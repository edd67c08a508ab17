// SPDX-License-Identifier: GPL-2.0
/* A source whose class name would be java.lang.String; its map value holds a C string. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct string {
    char text[16];
    __u32 length;
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct string);
} strings SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int remember_comm(void *ctx)
{
    __u32 key = 0;
    struct string *s = bpf_map_lookup_elem(&strings, &key);
    if (s) {
        bpf_get_current_comm(s->text, sizeof(s->text));
        s->length = sizeof(s->text);
    }
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
