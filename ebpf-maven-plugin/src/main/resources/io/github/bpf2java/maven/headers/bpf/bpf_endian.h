/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bpf2java's byte order conversions for BPF programs: network (big endian) to and from the byte order the object
 * is compiled for (-target bpfel or bpfeb). Each conversion of a constant is itself a constant, so
 * case bpf_htons(ETH_P_IP): and static initializers work; a value that is not constant becomes one BPF byte swap
 * instruction (or nothing, on big endian).
 */
#ifndef __BPF_ENDIAN__
#define __BPF_ENDIAN__

#define ___bpf_swab16(x) ((__u16)((((__u16)(x) & 0x00ffU) << 8) | (((__u16)(x) & 0xff00U) >> 8)))
#define ___bpf_swab32(x) ((__u32)((((__u32)(x) & 0x000000ffUL) << 24) | \
	(((__u32)(x) & 0x0000ff00UL) << 8) | (((__u32)(x) & 0x00ff0000UL) >> 8) | \
	(((__u32)(x) & 0xff000000UL) >> 24)))
#define ___bpf_swab64(x) ((__u64)((((__u64)(x) & 0x00000000000000ffULL) << 56) | \
	(((__u64)(x) & 0x000000000000ff00ULL) << 40) | (((__u64)(x) & 0x0000000000ff0000ULL) << 24) | \
	(((__u64)(x) & 0x00000000ff000000ULL) << 8) | (((__u64)(x) & 0x000000ff00000000ULL) >> 8) | \
	(((__u64)(x) & 0x0000ff0000000000ULL) >> 24) | (((__u64)(x) & 0x00ff000000000000ULL) >> 40) | \
	(((__u64)(x) & 0xff00000000000000ULL) >> 56)))

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ___bpf_to_be16(x) __builtin_bswap16(x)
#define ___bpf_to_be32(x) __builtin_bswap32(x)
#define ___bpf_to_be64(x) __builtin_bswap64(x)
#define ___bpf_constant_to_be16(x) ___bpf_swab16(x)
#define ___bpf_constant_to_be32(x) ___bpf_swab32(x)
#define ___bpf_constant_to_be64(x) ___bpf_swab64(x)
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ___bpf_to_be16(x) ((__u16)(x))
#define ___bpf_to_be32(x) ((__u32)(x))
#define ___bpf_to_be64(x) ((__u64)(x))
#define ___bpf_constant_to_be16(x) ((__u16)(x))
#define ___bpf_constant_to_be32(x) ((__u32)(x))
#define ___bpf_constant_to_be64(x) ((__u64)(x))
#else
#error "bpf_endian.h: the compiler defines no __BYTE_ORDER__ this header knows"
#endif

/* Always constant expressions (for constant x). */
#define bpf_constant_htons(x) ___bpf_constant_to_be16(x)
#define bpf_constant_ntohs(x) ___bpf_constant_to_be16(x)
#define bpf_constant_htonl(x) ___bpf_constant_to_be32(x)
#define bpf_constant_ntohl(x) ___bpf_constant_to_be32(x)
#define bpf_constant_cpu_to_be64(x) ___bpf_constant_to_be64(x)
#define bpf_constant_be64_to_cpu(x) ___bpf_constant_to_be64(x)

/* Host (object) order to network order and back: a swap is its own inverse. */
#define bpf_htons(x) (__builtin_constant_p(x) ? ___bpf_constant_to_be16(x) : ___bpf_to_be16(x))
#define bpf_ntohs(x) (__builtin_constant_p(x) ? ___bpf_constant_to_be16(x) : ___bpf_to_be16(x))
#define bpf_htonl(x) (__builtin_constant_p(x) ? ___bpf_constant_to_be32(x) : ___bpf_to_be32(x))
#define bpf_ntohl(x) (__builtin_constant_p(x) ? ___bpf_constant_to_be32(x) : ___bpf_to_be32(x))
#define bpf_cpu_to_be64(x) (__builtin_constant_p(x) ? ___bpf_constant_to_be64(x) : ___bpf_to_be64(x))
#define bpf_be64_to_cpu(x) (__builtin_constant_p(x) ? ___bpf_constant_to_be64(x) : ___bpf_to_be64(x))

/* The names some programs use for the same conversions. */
#define __bpf_constant_htons(x) bpf_constant_htons(x)
#define __bpf_constant_ntohs(x) bpf_constant_ntohs(x)
#define __bpf_constant_htonl(x) bpf_constant_htonl(x)
#define __bpf_constant_ntohl(x) bpf_constant_ntohl(x)
#define __bpf_constant_cpu_to_be64(x) bpf_constant_cpu_to_be64(x)
#define __bpf_constant_be64_to_cpu(x) bpf_constant_be64_to_cpu(x)
#define __bpf_htons(x) ___bpf_to_be16(x)
#define __bpf_ntohs(x) ___bpf_to_be16(x)
#define __bpf_htonl(x) ___bpf_to_be32(x)
#define __bpf_ntohl(x) ___bpf_to_be32(x)
#define __bpf_cpu_to_be64(x) ___bpf_to_be64(x)
#define __bpf_be64_to_cpu(x) ___bpf_to_be64(x)

#endif /* __BPF_ENDIAN__ */
