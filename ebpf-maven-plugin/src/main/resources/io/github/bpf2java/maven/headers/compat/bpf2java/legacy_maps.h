/*
 * bpf2java/legacy_maps.h: struct bpf_map_def for legacy map definitions,
 * shipped by bpf2java's ebpf-maven-plugin.
 *
 * Older programs (XDP tutorials, the kernel's samples/bpf) define maps as
 *
 *     struct bpf_map_def SEC("maps") counts = { .type = BPF_MAP_TYPE_ARRAY, ... };
 *
 * libbpf 1.0 removed the struct from its headers (and the plugin's bpf/ headers,
 * which follow libbpf's, do not have it), so such a source fails with
 * "variable has incomplete type 'struct bpf_map_def'". The bpf2java runtime still
 * loads these maps: it reads each definition in section "maps" as consecutive
 * 32-bit fields, type, key size, value size, maximum entries and, when the
 * definition is 20 bytes or longer, flags.
 *
 * Use it without editing the C: <cflags><cflag>-include</cflag>
 * <cflag>bpf2java/legacy_maps.h</cflag></cflags>, or #include it before the
 * definitions. Not with a libbpf older than 1.0, whose bpf_helpers.h still
 * declares the struct itself.
 */
#ifndef BPF2JAVA_LEGACY_MAPS_H
#define BPF2JAVA_LEGACY_MAPS_H

struct bpf_map_def {
	unsigned int type;        /* enum bpf_map_type, e.g. BPF_MAP_TYPE_HASH */
	unsigned int key_size;    /* bytes */
	unsigned int value_size;  /* bytes */
	unsigned int max_entries;
	unsigned int map_flags;   /* BPF_F_* map creation flags */
};

#endif
