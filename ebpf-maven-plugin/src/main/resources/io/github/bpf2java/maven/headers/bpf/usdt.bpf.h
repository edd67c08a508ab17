/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bpf2java's USDT (user statically defined tracing) support for BPF programs: SEC("usdt") programs read the
 * arguments of a <sys/sdt.h> probe with bpf_usdt_arg() or get them as parameters with BPF_USDT(...).
 *
 * The loader (bpf2java's runtime, like libbpf) parses each call site's argument descriptions from the binary's
 * .note.stapsdt section, writes them as a struct __bpf_usdt_spec into the __bpf_usdt_specs map, and attaches a
 * uprobe at the call site whose BPF cookie is that spec's id. The loader finds the layout of the struct in the
 * object's BTF, so only the member names and meanings below are a contract.
 */
#ifndef __USDT_BPF_H__
#define __USDT_BPF_H__

#include "bpf_helpers.h"
#include "bpf_tracing.h"

#ifndef BPF_USDT_MAX_SPEC_CNT
#define BPF_USDT_MAX_SPEC_CNT 256 /* distinct argument specs of all attached probes of this object */
#endif
#ifndef BPF_USDT_MAX_IP_CNT
#define BPF_USDT_MAX_IP_CNT (4 * BPF_USDT_MAX_SPEC_CNT)
#endif
#define BPF_USDT_MAX_ARG_CNT 12

/* How an argument's value is found. */
enum __bpf_usdt_arg_type {
	BPF_USDT_ARG_CONST,     /* the value is val_off */
	BPF_USDT_ARG_REG,       /* the value is in the register at byte reg_off of struct pt_regs */
	BPF_USDT_ARG_REG_DEREF, /* the value is in user memory at that register's value plus val_off */
};

struct __bpf_usdt_arg_spec {
	__u64 val_off;
	enum __bpf_usdt_arg_type arg_type;
	short reg_off;
	_Bool arg_signed;
	/* 64 minus the argument's size in bits: shifting left and back right by it narrows and extends the value. */
	char arg_bitshift;
};

struct __bpf_usdt_spec {
	struct __bpf_usdt_arg_spec args[BPF_USDT_MAX_ARG_CNT];
	__u64 usdt_cookie;
	short arg_cnt;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BPF_USDT_MAX_SPEC_CNT);
	__type(key, int);
	__type(value, struct __bpf_usdt_spec);
} __bpf_usdt_specs SEC(".maps") __weak;

/* Call site address to spec id, for kernels without BPF cookies (before 5.15); bpf2java needs cookies. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BPF_USDT_MAX_IP_CNT);
	__type(key, long);
	__type(value, int);
} __bpf_usdt_ip_to_spec_id SEC(".maps") __weak;

/* The spec of the call site that fired, or NULL. */
static __always_inline struct __bpf_usdt_spec *___bpf_usdt_spec(struct pt_regs *ctx)
{
	int id = (int)bpf_get_attach_cookie(ctx);
	return bpf_map_lookup_elem(&__bpf_usdt_specs, &id);
}

/* The number of arguments of the probe that fired, or -ESRCH (-3) when the program was not attached as USDT. */
static __always_inline int bpf_usdt_arg_cnt(struct pt_regs *ctx)
{
	struct __bpf_usdt_spec *spec = ___bpf_usdt_spec(ctx);
	return spec ? spec->arg_cnt : -3;
}

/* The size in bytes of argument arg_num, or a negative error. */
static __always_inline long bpf_usdt_arg_size(struct pt_regs *ctx, __u64 arg_num)
{
	struct __bpf_usdt_spec *spec = ___bpf_usdt_spec(ctx);
	if (!spec)
		return -3; /* -ESRCH */
	if (arg_num >= BPF_USDT_MAX_ARG_CNT || arg_num >= (__u64)spec->arg_cnt)
		return -2; /* -ENOENT */
	return (64U - (unsigned char)spec->args[arg_num].arg_bitshift) / 8U;
}

/*
 * Stores argument arg_num (from 0) of the probe that fired in *res, sign- or zero-extended to 64 bits; returns 0,
 * -ESRCH (-3) without a spec, -ENOENT (-2) for an argument the probe does not have, -EINVAL (-22) for a spec this
 * header does not know, or the error of reading the register or memory.
 */
static __always_inline int bpf_usdt_arg(struct pt_regs *ctx, __u64 arg_num, long *res)
{
	struct __bpf_usdt_spec *spec = ___bpf_usdt_spec(ctx);
	struct __bpf_usdt_arg_spec *arg;
	unsigned long value = 0;
	int err;

	*res = 0;
	if (!spec)
		return -3;
	if (arg_num >= BPF_USDT_MAX_ARG_CNT || arg_num >= (__u64)spec->arg_cnt)
		return -2;
	barrier_var(arg_num);
	arg = &spec->args[arg_num];
	switch (arg->arg_type) {
	case BPF_USDT_ARG_CONST:
		value = arg->val_off;
		break;
	case BPF_USDT_ARG_REG:
		/* The offset is not constant, which the verifier does not allow for loads from the context. */
		err = bpf_probe_read_kernel(&value, sizeof(value), (char *)ctx + arg->reg_off);
		if (err)
			return err;
		break;
	case BPF_USDT_ARG_REG_DEREF:
		err = bpf_probe_read_kernel(&value, sizeof(value), (char *)ctx + arg->reg_off);
		if (err)
			return err;
		err = bpf_probe_read_user(&value, sizeof(value), (void *)(value + arg->val_off));
		if (err)
			return err;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		/* A narrower value read as 8 bytes sits in the high-order bytes: move it down first. */
		value >>= arg->arg_bitshift;
#endif
		break;
	default:
		return -22;
	}
	value <<= arg->arg_bitshift;
	if (arg->arg_signed)
		value = (unsigned long)((long)value >> arg->arg_bitshift);
	else
		value >>= arg->arg_bitshift;
	*res = (long)value;
	return 0;
}

/* The cookie given when the program was attached to the probe (0 when none). */
static __always_inline long bpf_usdt_cookie(struct pt_regs *ctx)
{
	struct __bpf_usdt_spec *spec = ___bpf_usdt_spec(ctx);
	return spec ? (long)spec->usdt_cookie : 0;
}

/* Argument i as a value of any scalar or pointer type (0 when it cannot be read). */
#define ___bpf_usdt_value(i) ({ \
	long ___bpf_usdt_x; \
	bpf_usdt_arg(ctx, i, &___bpf_usdt_x); \
	(void *)___bpf_usdt_x; \
})
#define ___bpf_usdt_args(args...) ___bpf_apply(___bpf_usdt_args, ___bpf_narg(args))(args)
#define ___bpf_usdt_args0()
#define ___bpf_usdt_args1(x) , ___bpf_usdt_value(0)
#define ___bpf_usdt_args2(x, args...) ___bpf_usdt_args1(x), ___bpf_usdt_value(1)
#define ___bpf_usdt_args3(x, args...) ___bpf_usdt_args2(x, args), ___bpf_usdt_value(2)
#define ___bpf_usdt_args4(x, args...) ___bpf_usdt_args3(x, args), ___bpf_usdt_value(3)
#define ___bpf_usdt_args5(x, args...) ___bpf_usdt_args4(x, args), ___bpf_usdt_value(4)
#define ___bpf_usdt_args6(x, args...) ___bpf_usdt_args5(x, args), ___bpf_usdt_value(5)
#define ___bpf_usdt_args7(x, args...) ___bpf_usdt_args6(x, args), ___bpf_usdt_value(6)
#define ___bpf_usdt_args8(x, args...) ___bpf_usdt_args7(x, args), ___bpf_usdt_value(7)
#define ___bpf_usdt_args9(x, args...) ___bpf_usdt_args8(x, args), ___bpf_usdt_value(8)
#define ___bpf_usdt_args10(x, args...) ___bpf_usdt_args9(x, args), ___bpf_usdt_value(9)
#define ___bpf_usdt_args11(x, args...) ___bpf_usdt_args10(x, args), ___bpf_usdt_value(10)
#define ___bpf_usdt_args12(x, args...) ___bpf_usdt_args11(x, args), ___bpf_usdt_value(11)

/* int BPF_USDT(name, int i, long total) { ... }: a USDT program with the probe's arguments as parameters. */
#define BPF_USDT(name, args...) ___bpf_define(name, struct pt_regs *, ___bpf_usdt_args(args), ##args)

#endif /* __USDT_BPF_H__ */
