/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bpf2java's CO-RE ("compile once, run everywhere") macros. Each wraps one of clang's BPF builtins, which record a
 * relocation in .BTF.ext; the loader rewrites the instruction with the value for the running kernel's BTF
 * (a field's offset or size, whether a type or enumerator exists, ...). Reads go through bpf_probe_read_kernel
 * (or _user), so they work on any kernel pointer, not only on memory the verifier lets the program load directly.
 *
 * Types from "vmlinux.h" carry __attribute__((preserve_access_index)), so every field access through them is
 * relocated; a local type can be made to match a kernel type the same way, with a "___suffix" flavor name
 * (struct task_struct___mine { int pid; } __attribute__((preserve_access_index));).
 */
#ifndef __BPF_CORE_READ_H__
#define __BPF_CORE_READ_H__

#include "bpf_helpers.h"

/* What __builtin_preserve_field_info reports about a field (values fixed by LLVM's BPF backend). */
enum bpf_field_info_kind {
	BPF_FIELD_BYTE_OFFSET = 0, /* the byte offset of the field (of its containing bytes, for a bitfield) */
	BPF_FIELD_BYTE_SIZE = 1,   /* the size in bytes (of the bytes to read, for a bitfield) */
	BPF_FIELD_EXISTS = 2,      /* 1 when the field exists in the kernel's type */
	BPF_FIELD_SIGNED = 3,      /* 1 when the field is signed */
	BPF_FIELD_LSHIFT_U64 = 4,  /* left shift that puts a bitfield's top bit at bit 63 of a 64-bit read */
	BPF_FIELD_RSHIFT_U64 = 5,  /* right shift that then moves it down to bit 0 */
};

/* Which BTF a type id refers to (__builtin_btf_type_id). */
enum bpf_type_id_kind {
	BPF_TYPE_ID_LOCAL = 0,  /* the object's own BTF */
	BPF_TYPE_ID_TARGET = 1, /* the kernel's BTF */
};

/* What __builtin_preserve_type_info reports about a type. */
enum bpf_type_info_kind {
	BPF_TYPE_EXISTS = 0,  /* a type of that name and kind exists */
	BPF_TYPE_SIZE = 1,    /* its size in bytes */
	BPF_TYPE_MATCHES = 2, /* it exists and its members match the local definition (clang 17+) */
};

/* What __builtin_preserve_enum_value reports about an enumerator. */
enum bpf_enum_value_kind {
	BPF_ENUMVAL_EXISTS = 0, /* the enumerator exists */
	BPF_ENUMVAL_VALUE = 1,  /* its value */
};

/* A field given as one expression (s->a.b) or as a type and a member path (struct task_struct, pid). */
#define ___bpf_field(field...) ___bpf_apply(___bpf_field, ___bpf_narg(field))(field)
#define ___bpf_field1(expression) expression
#define ___bpf_field2(type, member) (((typeof(type) *)0)->member)

/* ---- Fields, types and enumerators of the running kernel ---------------------------------------------- */

#define bpf_core_field_exists(field...) __builtin_preserve_field_info(___bpf_field(field), BPF_FIELD_EXISTS)
#define bpf_core_field_size(field...) __builtin_preserve_field_info(___bpf_field(field), BPF_FIELD_BYTE_SIZE)
#define bpf_core_field_offset(field...) __builtin_preserve_field_info(___bpf_field(field), BPF_FIELD_BYTE_OFFSET)
#define bpf_core_field_signed(field...) __builtin_preserve_field_info(___bpf_field(field), BPF_FIELD_SIGNED)

#define bpf_core_type_id_local(type) __builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_LOCAL)
#define bpf_core_type_id_kernel(type) __builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_TARGET)
#define bpf_core_type_exists(type) __builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_EXISTS)
#define bpf_core_type_size(type) __builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_SIZE)
#define bpf_core_type_matches(type) __builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_MATCHES)

/* bpf_core_enum_value(enum pid_type, PIDTYPE_TGID): the enumerator's value in the kernel. */
#define bpf_core_enum_value_exists(enum_type, enumerator) \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enumerator, BPF_ENUMVAL_EXISTS)
#define bpf_core_enum_value(enum_type, enumerator) \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enumerator, BPF_ENUMVAL_VALUE)

/*
 * ptr as a read-only pointer to the kernel's type (bpf_rdonly_cast, a kfunc of Linux 6.2+): its fields can then
 * be loaded directly, e.g. bpf_core_cast(sk, struct tcp_sock)->srtt_us.
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;
#define bpf_core_cast(ptr, type) ((typeof(type) *)bpf_rdonly_cast((ptr), bpf_core_type_id_kernel(type)))

/* ---- Single reads ---------------------------------------------------------------------------------------- */

/* Reads sz bytes at src (an address computed from relocated field accesses) into dst. */
#define bpf_core_read(dst, sz, src) \
	bpf_probe_read_kernel(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user(dst, sz, src) \
	bpf_probe_read_user(dst, sz, (const void *)__builtin_preserve_access_index(src))
/* Reads a NUL-terminated string of at most sz bytes; returns its length with the NUL, or a negative error. */
#define bpf_core_read_str(dst, sz, src) \
	bpf_probe_read_kernel_str(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user_str(dst, sz, src) \
	bpf_probe_read_user_str(dst, sz, (const void *)__builtin_preserve_access_index(src))

/* The same without relocations, for kernels or types without BTF. */
#define ___bpf_plain_read(dst, sz, src) bpf_probe_read_kernel(dst, sz, (const void *)(src))
#define ___bpf_plain_read_user(dst, sz, src) bpf_probe_read_user(dst, sz, (const void *)(src))
#define ___bpf_plain_read_str(dst, sz, src) bpf_probe_read_kernel_str(dst, sz, (const void *)(src))
#define ___bpf_plain_read_user_str(dst, sz, src) bpf_probe_read_user_str(dst, sz, (const void *)(src))

/* ---- Pointer chains: BPF_CORE_READ(task, mm, exe_file, f_inode) ------------------------------------------ */
/*
 * A chain s->a->b->c is read one pointer at a time into ___bpf_p (each step typed by the chain so far, so each
 * field access is relocated), and the last field into the destination. A failed step reads 0, so the following
 * steps fail too and the result is 0 or the error of the last read.
 */

/* s->a->... up to, not including, the last of the fields. */
#define ___bpf_upto(s, fields...) ___bpf_apply(___bpf_upto, ___bpf_narg(fields))(s, fields)
#define ___bpf_upto1(s, a) (s)
#define ___bpf_upto2(s, a, b) (s)->a
#define ___bpf_upto3(s, a, b, c) (s)->a->b
#define ___bpf_upto4(s, a, b, c, d) (s)->a->b->c
#define ___bpf_upto5(s, a, b, c, d, e) (s)->a->b->c->d
#define ___bpf_upto6(s, a, b, c, d, e, f) (s)->a->b->c->d->e
#define ___bpf_upto7(s, a, b, c, d, e, f, g) (s)->a->b->c->d->e->f
#define ___bpf_upto8(s, a, b, c, d, e, f, g, h) (s)->a->b->c->d->e->f->g
#define ___bpf_upto9(s, a, b, c, d, e, f, g, h, i) (s)->a->b->c->d->e->f->g->h
#define ___bpf_upto10(s, a, b, c, d, e, f, g, h, i, j) (s)->a->b->c->d->e->f->g->h->i

/* The last of the fields. */
#define ___bpf_last(fields...) ___bpf_apply(___bpf_last, ___bpf_narg(fields))(fields)
#define ___bpf_last1(a) a
#define ___bpf_last2(a, b) b
#define ___bpf_last3(a, b, c) c
#define ___bpf_last4(a, b, c, d) d
#define ___bpf_last5(a, b, c, d, e) e
#define ___bpf_last6(a, b, c, d, e, f) f
#define ___bpf_last7(a, b, c, d, e, f, g) g
#define ___bpf_last8(a, b, c, d, e, f, g, h) h
#define ___bpf_last9(a, b, c, d, e, f, g, h, i) i
#define ___bpf_last10(a, b, c, d, e, f, g, h, i, j) j

/* The whole chain s->a->...->last, only ever used inside typeof. */
#define ___bpf_chain(s, fields...) ___bpf_upto(s, fields)->___bpf_last(fields)

/* One step: ___bpf_p holds the value of prefix; replace it with prefix->field. */
#define ___bpf_step(read, prefix, field) \
	read((void *)&___bpf_p, sizeof(___bpf_p), &((typeof(prefix))___bpf_p)->field);

/* The steps for every field but the last. */
#define ___bpf_steps(read, s, fields...) ___bpf_apply(___bpf_steps, ___bpf_narg(fields))(read, s, fields)
#define ___bpf_steps1(read, s, a)
#define ___bpf_steps2(read, s, a, b) ___bpf_step(read, (s), a)
#define ___bpf_steps3(read, s, a, b, c) ___bpf_steps2(read, s, a, b) ___bpf_step(read, (s)->a, b)
#define ___bpf_steps4(read, s, a, b, c, d) ___bpf_steps3(read, s, a, b, c) ___bpf_step(read, (s)->a->b, c)
#define ___bpf_steps5(read, s, a, b, c, d, e) \
	___bpf_steps4(read, s, a, b, c, d) ___bpf_step(read, (s)->a->b->c, d)
#define ___bpf_steps6(read, s, a, b, c, d, e, f) \
	___bpf_steps5(read, s, a, b, c, d, e) ___bpf_step(read, (s)->a->b->c->d, e)
#define ___bpf_steps7(read, s, a, b, c, d, e, f, g) \
	___bpf_steps6(read, s, a, b, c, d, e, f) ___bpf_step(read, (s)->a->b->c->d->e, f)
#define ___bpf_steps8(read, s, a, b, c, d, e, f, g, h) \
	___bpf_steps7(read, s, a, b, c, d, e, f, g) ___bpf_step(read, (s)->a->b->c->d->e->f, g)
#define ___bpf_steps9(read, s, a, b, c, d, e, f, g, h, i) \
	___bpf_steps8(read, s, a, b, c, d, e, f, g, h) ___bpf_step(read, (s)->a->b->c->d->e->f->g, h)
#define ___bpf_steps10(read, s, a, b, c, d, e, f, g, h, i, j) \
	___bpf_steps9(read, s, a, b, c, d, e, f, g, h, i) ___bpf_step(read, (s)->a->b->c->d->e->f->g->h, i)

/*
 * Reads the chain's last field into *dst with read_last (sizeof(*dst) bytes), the pointers before it with
 * read; evaluates to read_last's result.
 */
#define ___bpf_read_into(read, read_last, dst, s, fields...) ({ \
	const void *___bpf_p = (const void *)(s); \
	___bpf_steps(read, s, fields) \
	read_last((void *)(dst), sizeof(*(dst)), &((typeof(___bpf_upto(s, fields)))___bpf_p)->___bpf_last(fields)); \
})
/* The same for strings: reads at most sz bytes of the chain's last field, a char array or pointer. */
#define ___bpf_read_str_into(read, read_str, dst, sz, s, fields...) ({ \
	const void *___bpf_p = (const void *)(s); \
	___bpf_steps(read, s, fields) \
	read_str((void *)(dst), sz, &((typeof(___bpf_upto(s, fields)))___bpf_p)->___bpf_last(fields)); \
})

/* Reads src->a->b->... into *dst (sizeof(*dst) bytes) with relocations; evaluates to 0 or a negative error. */
#define BPF_CORE_READ_INTO(dst, src, a, ...) ___bpf_read_into(bpf_core_read, bpf_core_read, dst, src, a, ##__VA_ARGS__)
#define BPF_CORE_READ_USER_INTO(dst, src, a, ...) \
	___bpf_read_into(bpf_core_read_user, bpf_core_read_user, dst, src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ_INTO(dst, src, a, ...) \
	___bpf_read_into(___bpf_plain_read, ___bpf_plain_read, dst, src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ_USER_INTO(dst, src, a, ...) \
	___bpf_read_into(___bpf_plain_read_user, ___bpf_plain_read_user, dst, src, a, ##__VA_ARGS__)

/*
 * Reads the string at the end of src->a->b->... into *dst (a pointer to a char array, e.g. &comm: at most
 * sizeof(*dst) bytes, NUL included); evaluates to the length with the NUL, or a negative error.
 */
#define BPF_CORE_READ_STR_INTO(dst, src, a, ...) \
	___bpf_read_str_into(bpf_core_read, bpf_core_read_str, dst, sizeof(*(dst)), src, a, ##__VA_ARGS__)
#define BPF_CORE_READ_USER_STR_INTO(dst, src, a, ...) \
	___bpf_read_str_into(bpf_core_read_user, bpf_core_read_user_str, dst, sizeof(*(dst)), src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ_STR_INTO(dst, src, a, ...) \
	___bpf_read_str_into(___bpf_plain_read, ___bpf_plain_read_str, dst, sizeof(*(dst)), src, a, ##__VA_ARGS__)
#define BPF_PROBE_READ_USER_STR_INTO(dst, src, a, ...) \
	___bpf_read_str_into(___bpf_plain_read_user, ___bpf_plain_read_user_str, dst, sizeof(*(dst)), src, a, \
		##__VA_ARGS__)

/* The value of src->a->b->..., read with relocations (0 when a pointer on the way cannot be read). */
#define BPF_CORE_READ(src, a, ...) ({ \
	typeof(___bpf_chain(src, a, ##__VA_ARGS__)) ___bpf_value; \
	BPF_CORE_READ_INTO(&___bpf_value, src, a, ##__VA_ARGS__); \
	___bpf_value; \
})
#define BPF_CORE_READ_USER(src, a, ...) ({ \
	typeof(___bpf_chain(src, a, ##__VA_ARGS__)) ___bpf_value; \
	BPF_CORE_READ_USER_INTO(&___bpf_value, src, a, ##__VA_ARGS__); \
	___bpf_value; \
})
#define BPF_PROBE_READ(src, a, ...) ({ \
	typeof(___bpf_chain(src, a, ##__VA_ARGS__)) ___bpf_value; \
	BPF_PROBE_READ_INTO(&___bpf_value, src, a, ##__VA_ARGS__); \
	___bpf_value; \
})
#define BPF_PROBE_READ_USER(src, a, ...) ({ \
	typeof(___bpf_chain(src, a, ##__VA_ARGS__)) ___bpf_value; \
	BPF_PROBE_READ_USER_INTO(&___bpf_value, src, a, ##__VA_ARGS__); \
	___bpf_value; \
})

/* ---- Bitfields ------------------------------------------------------------------------------------------- */
/*
 * A bitfield is read as its containing bytes (offset and size relocated), placed in a 64-bit value so that the
 * field's top bit is bit 63, then shifted down, arithmetically when the field is signed.
 */
#define ___bpf_bitfield_shift(s, field, raw) ({ \
	unsigned long long ___bpf_bits = (raw) << __builtin_preserve_field_info((s)->field, BPF_FIELD_LSHIFT_U64); \
	__builtin_preserve_field_info((s)->field, BPF_FIELD_SIGNED) \
		? (unsigned long long)((long long)___bpf_bits >> \
			__builtin_preserve_field_info((s)->field, BPF_FIELD_RSHIFT_U64)) \
		: ___bpf_bits >> __builtin_preserve_field_info((s)->field, BPF_FIELD_RSHIFT_U64); \
})

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
/* The field's bytes end the 64-bit value, so that its bits keep their significance. */
#define ___bpf_bitfield_slot(raw, size) ((char *)&(raw) + 8 - (size))
#else
#define ___bpf_bitfield_slot(raw, size) ((char *)&(raw))
#endif

/* The value of bitfield s->field, through bpf_probe_read_kernel: for any kernel pointer. */
#define BPF_CORE_READ_BITFIELD_PROBED(s, field) ({ \
	unsigned long long ___bpf_raw = 0; \
	unsigned int ___bpf_size = __builtin_preserve_field_info((s)->field, BPF_FIELD_BYTE_SIZE); \
	bpf_probe_read_kernel(___bpf_bitfield_slot(___bpf_raw, ___bpf_size), ___bpf_size, \
		(const char *)(s) + __builtin_preserve_field_info((s)->field, BPF_FIELD_BYTE_OFFSET)); \
	___bpf_bitfield_shift(s, field, ___bpf_raw); \
})

/* The value of bitfield s->field, by direct loads: for memory the program may read (BTF-typed pointers, ctx). */
#define BPF_CORE_READ_BITFIELD(s, field) ({ \
	const void *___bpf_at = (const char *)(s) + __builtin_preserve_field_info((s)->field, BPF_FIELD_BYTE_OFFSET); \
	unsigned long long ___bpf_raw; \
	switch (__builtin_preserve_field_info((s)->field, BPF_FIELD_BYTE_SIZE)) { \
	case 1: ___bpf_raw = *(const unsigned char *)___bpf_at; break; \
	case 2: ___bpf_raw = *(const unsigned short *)___bpf_at; break; \
	case 4: ___bpf_raw = *(const unsigned int *)___bpf_at; break; \
	case 8: ___bpf_raw = *(const unsigned long long *)___bpf_at; break; \
	default: ___bpf_raw = 0; break; \
	} \
	___bpf_bitfield_shift(s, field, ___bpf_raw); \
})

#endif /* __BPF_CORE_READ_H__ */
