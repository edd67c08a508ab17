/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bpf2java's BPF program header: section and map definition macros, attributes, bpf_printk and the helper
 * declarations. Written for bpf2java; source-compatible with the names programs written against libbpf's
 * <bpf/bpf_helpers.h> use, and guarded by the same include guard so that the two never both apply.
 *
 * Include <linux/types.h> and <linux/bpf.h>, or "vmlinux.h", before this header: the helper declarations use
 * __u32, __u64 and friends.
 *
 * Every program needs a license, which decides which helpers it may call:
 *
 *     char LICENSE[] SEC("license") = "GPL";     (or BPF_LICENSE("GPL");)
 */
#ifndef __BPF_HELPERS__
#define __BPF_HELPERS__

#include "bpf_helper_defs.h"

/* ---- Token pasting and argument counting, shared by the bpf/ headers ---------------------------------------- */

#define ___bpf_concat(a, b) a##b
#define ___bpf_apply(macro, n) ___bpf_concat(macro, n)
/* The 17th argument after the list: with the descending numbers appended, the number of arguments (0 to 16). */
#define ___bpf_nth(_, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, n, ...) n
#define ___bpf_narg(...) \
	___bpf_nth(_, ##__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)

/* ---- Sections and map definitions --------------------------------------------------------------------------- */

/*
 * Places a program, map or variable in an ELF section; the section name of a program gives its type. On an extern
 * declaration (a map another file of a linked object defines) clang ignores "used" and would warn; the pragmas keep
 * that warning quiet for this attribute only.
 */
#ifdef __clang__
#define SEC(name) \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wignored-attributes\"") \
	__attribute__((section(name), used)) \
	_Pragma("GCC diagnostic pop")
#else
#define SEC(name) __attribute__((section(name), used))
#endif

/*
 * Map definitions in SEC(".maps") describe their attributes through the BTF of their members' types:
 *   __uint(max_entries, 1024)     an int attribute, encoded as the size of an array
 *   __type(key, __u32)            the key or value type
 *   __array(values, struct inner) the inner map of a map-in-map, or the programs of a prog array
 *   __ulong(map_extra, 1UL << 40) a 64-bit attribute, encoded as an enumerator
 */
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]
/* (___bpf_apply, not ___bpf_concat: __COUNTER__ must be expanded before it is pasted) */
#define __ulong(name, val) enum { ___bpf_apply(___bpf_ulong_, __COUNTER__) = (val) } name

/* The license section, e.g. BPF_LICENSE("GPL"); at file scope. */
#define BPF_LICENSE(text) char LICENSE[] SEC("license") = text

/* ---- Attributes ------------------------------------------------------------------------------------------- */

/* <linux/stddef.h> may define a weaker __always_inline (plain inline); BPF code needs the attribute. */
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))

#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif
/* A global function or variable that other objects of a static link cannot see. */
#define __hidden __attribute__((visibility("hidden")))

/* Kernel symbols (variables and kfuncs), resolved by the loader against the kernel's BTF. */
#define __ksym __attribute__((section(".ksyms")))
/* Kernel configuration values (extern int CONFIG_HZ __kconfig;), filled in by the loader. */
#define __kconfig __attribute__((section(".kconfig")))

#if __has_attribute(btf_type_tag)
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __kptr __attribute__((btf_type_tag("kptr")))
#define __percpu_kptr __attribute__((btf_type_tag("percpu_kptr")))
#define __uptr __attribute__((btf_type_tag("uptr")))
#endif

#if __has_attribute(btf_decl_tag)
/* Facts about global function arguments for the verifier. */
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#define __arg_nonnull __attribute__((btf_decl_tag("arg:nonnull")))
#define __arg_nullable __attribute__((btf_decl_tag("arg:nullable")))
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#define __arg_arena __attribute__((btf_decl_tag("arg:arena")))
/* Object (graph) roots in map values: bpf_list_head, bpf_rb_root. */
#define __contains(name, node) __attribute__((btf_decl_tag("contains:" #name ":" #node)))
#endif

/* The kernel version as LINUX_KERNEL_VERSION (an extern __kconfig) reports it. */
#define KERNEL_VERSION(major, minor, patch) (((major) << 16) + ((minor) << 8) + ((patch) > 255 ? 255 : (patch)))

/* ---- Small utilities -------------------------------------------------------------------------------------- */

#ifndef NULL
#define NULL ((void *)0)
#endif

/* Map pinning (the pinning attribute of a map definition: __uint(pinning, LIBBPF_PIN_BY_NAME)). */
enum libbpf_pin_type {
	LIBBPF_PIN_NONE,
	LIBBPF_PIN_BY_NAME, /* pinned as <pin root>/<map name>, reused when a compatible map is pinned there */
};

/* The value of a tristate kernel option (extern enum libbpf_tristate CONFIG_X __kconfig;). */
enum libbpf_tristate {
	TRI_NO = 0,
	TRI_YES = 1,
	TRI_MODULE = 2,
};

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* Keeps the compiler from moving memory accesses across this point. */
#ifndef barrier
#define barrier() __asm__ __volatile__("" : : : "memory")
#endif
/* Makes the compiler forget what it knows about var's value, e.g. to keep a bounds check the verifier needs. */
#ifndef barrier_var
#define barrier_var(var) __asm__ __volatile__("" : "+r"(var))
#endif

#ifndef offsetof
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif
#ifndef container_of
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#define __bpf_unreachable() __builtin_trap()

/*
 * Whether a __weak extern __ksym (a kernel variable or kfunc) exists in the running kernel: the loader sets
 * the address of a missing one to 0. Declaring it __weak is what makes a missing symbol allowed.
 */
#define bpf_ksym_exists(sym) ({ \
	_Static_assert(!__builtin_constant_p(!!(sym)), #sym " must be declared __weak to be tested"); \
	!!(sym); \
})

/*
 * A tail call whose slot is a constant: the call instruction is emitted with the slot in an immediate register
 * load right before it, which lets the JIT patch a direct jump instead of looking the program up at run time.
 * Inputs are never given clobbered registers, so loading r1..r3 cannot overwrite another input.
 */
static __always_inline void bpf_tail_call_static(void *ctx, const void *map, const __u32 slot)
{
	if (!__builtin_constant_p(slot))
		__bpf_unreachable();
	__asm__ __volatile__("r1 = %[ctx]\n\t"
			     "r2 = %[map]\n\t"
			     "r3 = %[slot]\n\t"
			     "call 12"
			     :
			     : [ctx] "r"(ctx), [map] "r"(map), [slot] "i"(slot)
			     : "r0", "r1", "r2", "r3", "r4", "r5");
}

/* ---- Formatted output ------------------------------------------------------------------------------------- */

/* Stores each argument as a 64-bit value in arr[0], arr[1], ... (bpf_trace_vprintk, bpf_seq_printf, ...). */
#define ___bpf_fill(arr, args...) ___bpf_apply(___bpf_fill, ___bpf_narg(args))(arr, 0, ##args)
#define ___bpf_fill0(arr, i)
#define ___bpf_fill1(arr, i, x) arr[i] = (unsigned long long)(x);
#define ___bpf_fill2(arr, i, x, args...) ___bpf_fill1(arr, i, x) ___bpf_fill1(arr, i + 1, args)
#define ___bpf_fill3(arr, i, x, args...) ___bpf_fill1(arr, i, x) ___bpf_fill2(arr, i + 1, args)
#define ___bpf_fill4(arr, i, x, args...) ___bpf_fill1(arr, i, x) ___bpf_fill3(arr, i + 1, args)
#define ___bpf_fill5(arr, i, x, args...) ___bpf_fill1(arr, i, x) ___bpf_fill4(arr, i + 1, args)
#define ___bpf_fill6(arr, i, x, args...) ___bpf_fill1(arr, i, x) ___bpf_fill5(arr, i + 1, args)
#define ___bpf_fill7(arr, i, x, args...) ___bpf_fill1(arr, i, x) ___bpf_fill6(arr, i + 1, args)
#define ___bpf_fill8(arr, i, x, args...) ___bpf_fill1(arr, i, x) ___bpf_fill7(arr, i + 1, args)
#define ___bpf_fill9(arr, i, x, args...) ___bpf_fill1(arr, i, x) ___bpf_fill8(arr, i + 1, args)
#define ___bpf_fill10(arr, i, x, args...) ___bpf_fill1(arr, i, x) ___bpf_fill9(arr, i + 1, args)
#define ___bpf_fill11(arr, i, x, args...) ___bpf_fill1(arr, i, x) ___bpf_fill10(arr, i + 1, args)
#define ___bpf_fill12(arr, i, x, args...) ___bpf_fill1(arr, i, x) ___bpf_fill11(arr, i + 1, args)

/* An array of the arguments as 64-bit values, for the helpers that take their format's arguments so. */
#define ___bpf_values(name, args...) \
	unsigned long long name[___bpf_narg(args) > 0 ? ___bpf_narg(args) : 1]; \
	___bpf_fill(name, ##args)

/* The data and size arguments: no data at all without arguments, as the kernel wants then. */
#define ___bpf_args_or_null(name, args...) \
	(___bpf_narg(args) > 0 ? (void *)name : (void *)0), (___bpf_narg(args) > 0 ? sizeof(name) : 0)

/*
 * The format string: in .rodata, or with BPF_NO_GLOBAL_DATA defined (for kernels before 5.2, which cannot load
 * global data) on the stack, which costs instructions and stack space.
 */
#ifdef BPF_NO_GLOBAL_DATA
#define ___bpf_format(fmt) char ___bpf_fmt[] = fmt
#else
#define ___bpf_format(fmt) static const char ___bpf_fmt[] = fmt
#endif

/*
 * Writes a line to the trace pipe (/sys/kernel/tracing/trace_pipe). Up to 3 arguments go through
 * bpf_trace_printk, which every kernel with BPF has; 4 to 12 through bpf_trace_vprintk (Linux 5.16+).
 * The format is a string literal; the kernel supports %d %i %u %x %ld %lu %lx %lld %llu %llx %p %s and a few more.
 */
#define bpf_printk(fmt, args...) ___bpf_printk_choose(args)(fmt, ##args)
#define ___bpf_printk_choose(args...) \
	___bpf_nth(_, ##args, ___bpf_vprintk, ___bpf_vprintk, ___bpf_vprintk, ___bpf_vprintk, ___bpf_vprintk, \
		___bpf_vprintk, ___bpf_vprintk, ___bpf_vprintk, ___bpf_vprintk, ___bpf_vprintk, ___bpf_vprintk, \
		___bpf_vprintk, ___bpf_vprintk, ___bpf_trace_printk, ___bpf_trace_printk, ___bpf_trace_printk, ___bpf_trace_printk)
#define ___bpf_trace_printk(fmt, args...) ({ \
	___bpf_format(fmt); \
	bpf_trace_printk(___bpf_fmt, sizeof(___bpf_fmt), ##args); \
})
#define ___bpf_vprintk(fmt, args...) ({ \
	___bpf_format(fmt); \
	___bpf_values(___bpf_args, args) \
	bpf_trace_vprintk(___bpf_fmt, sizeof(___bpf_fmt), ___bpf_args, sizeof(___bpf_args)); \
})

/* bpf_seq_printf with the format's arguments listed, for iterator programs. */
#define BPF_SEQ_PRINTF(seq, fmt, args...) ({ \
	static const char ___bpf_fmt[] = fmt; \
	___bpf_values(___bpf_args, args) \
	bpf_seq_printf(seq, ___bpf_fmt, sizeof(___bpf_fmt), ___bpf_args_or_null(___bpf_args, args)); \
})

/* bpf_snprintf with the format's arguments listed: formats into out (of out_size bytes). */
#define BPF_SNPRINTF(out, out_size, fmt, args...) ({ \
	static const char ___bpf_fmt[] = fmt; \
	___bpf_values(___bpf_args, args) \
	bpf_snprintf(out, out_size, ___bpf_fmt, ___bpf_args_or_null(___bpf_args, args)); \
})

/*
 * Open-coded iterators (Linux 6.4+): loops driven by the kernel's bpf_iter_<type>_new, _next and _destroy kfuncs,
 * which the verifier checks once instead of unrolling. The iterator's state is a stack variable of
 * struct bpf_iter_<type> (from vmlinux.h); its cleanup attribute calls _destroy on every way out of the loop, break
 * and return included, as the verifier demands.
 *
 *   int *v; bpf_for_each(num, v, 0, 16) { sum += *v; }   // v points at 0, 1, ..., 15
 *   int i;  bpf_for(i, 0, n) { total += values[i]; }      // i in [0, n), bounds the verifier knows
 *   bpf_repeat(10) { ... }                                // ten times
 *
 * start and end are evaluated again at every step: pass plain values. The (void) mention of _destroy in each loop's
 * start is for clang 14, which emits no BTF for a kfunc that only a cleanup attribute calls.
 */
struct bpf_iter_num;
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __weak __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __weak __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __weak __ksym;

#ifndef bpf_for_each
#define bpf_for_each(type, cur, args...) \
	for (struct bpf_iter_##type ___bpf_iter __attribute__((aligned(8), cleanup(bpf_iter_##type##_destroy))), \
		*___bpf_iter_started __attribute__((unused)) = (bpf_iter_##type##_new(&___bpf_iter, ##args), (void)bpf_iter_##type##_destroy, (void *)0); \
		((cur) = bpf_iter_##type##_next(&___bpf_iter)) != 0; )
#endif

#ifndef bpf_for
#define bpf_for(i, start, end) \
	for (struct bpf_iter_num ___bpf_iter __attribute__((aligned(8), cleanup(bpf_iter_num_destroy))), \
		*___bpf_iter_started __attribute__((unused)) = (bpf_iter_num_new(&___bpf_iter, (start), (end)), (void)bpf_iter_num_destroy, (void *)0); \
		({ \
			int *___bpf_next = bpf_iter_num_next(&___bpf_iter); \
			int ___bpf_more = 0; \
			if (___bpf_next) { \
				(i) = *___bpf_next; \
				/* A value the verifier cannot see the range of until it is compared: comparing it (always \
				 * true) in the register the body uses gives array indexing its bounds. */ \
				barrier_var(i); \
				___bpf_more = (i) >= (start) && (i) < (end); \
			} \
			___bpf_more; \
		}); )
#endif

#ifndef bpf_repeat
#define bpf_repeat(n) \
	for (struct bpf_iter_num ___bpf_iter __attribute__((aligned(8), cleanup(bpf_iter_num_destroy))), \
		*___bpf_iter_started __attribute__((unused)) = (bpf_iter_num_new(&___bpf_iter, 0, (n)), (void)bpf_iter_num_destroy, (void *)0); \
		bpf_iter_num_next(&___bpf_iter) != 0; )
#endif

#endif /* __BPF_HELPERS__ */
