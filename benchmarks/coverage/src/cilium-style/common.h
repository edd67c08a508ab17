// What cilium/ebpf-style sources include instead of vmlinux.h: the UAPI definitions and libbpf's helper headers
// (those projects ship copies of both in a headers/ directory next to the C files).
#pragma once
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
