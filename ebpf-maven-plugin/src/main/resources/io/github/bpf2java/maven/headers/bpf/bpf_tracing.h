/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bpf2java's tracing macros: the registers of a probed function (PT_REGS_*) for each architecture, and program
 * definitions that hand a program its probed function's arguments as named, typed parameters (BPF_KPROBE,
 * BPF_KRETPROBE, BPF_UPROBE, BPF_URETPROBE, BPF_KSYSCALL, BPF_PROG, BPF_PROG2).
 *
 * The register layout depends on the machine the program runs on, which a BPF object does not know: compile with
 * -D__TARGET_ARCH_<arch> (bpf2java's architecture targets such as amd64 or arm64 define it), one of x86, arm64,
 * arm, s390, riscv, powerpc, mips, loongarch, sparc. The layouts are the kernel's struct pt_regs of the 64-bit
 * kernels (32-bit for arm); x86 means x86-64 and mips means mips64 (n64).
 *
 * PT_REGS_PARMn(ctx) reads the nth argument of the probed function from the program's context (a direct load);
 * PT_REGS_PARMn_CORE(regs) reads it through bpf_probe_read_kernel, for a struct pt_regs that is not the context
 * (such as the one a syscall wrapper receives). PT_REGS_PARMn_SYSCALL and PT_REGS_PARMn_CORE_SYSCALL read the
 * arguments of a system call from the registers the system call was entered with.
 */
#ifndef __BPF_TRACING_H__
#define __BPF_TRACING_H__

#include "bpf_helpers.h"

struct pt_regs;

/* ---- Register layouts: the index of each register among the words of the kernel's struct pt_regs ---------- */

#if defined(__TARGET_ARCH_x86)
/* r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp ss */
#define ___bpf_word unsigned long
#define ___bpf_parm_count 6
#define ___bpf_parm1 14 /* di */
#define ___bpf_parm2 13 /* si */
#define ___bpf_parm3 12 /* dx */
#define ___bpf_parm4 11 /* cx */
#define ___bpf_parm5 9  /* r8 */
#define ___bpf_parm6 8  /* r9 */
#define ___bpf_syscall1 14 /* di */
#define ___bpf_syscall2 13 /* si */
#define ___bpf_syscall3 12 /* dx */
#define ___bpf_syscall4 7  /* r10: the syscall instruction uses cx for the return address */
#define ___bpf_syscall5 9  /* r8 */
#define ___bpf_syscall6 8  /* r9 */
#define ___bpf_rc 10 /* ax */
#define ___bpf_sp 19
#define ___bpf_ip 16
#define ___bpf_fp 4 /* bp */

#elif defined(__TARGET_ARCH_arm64)
/* regs[31] (x0..x30) sp pc pstate orig_x0 */
#define ___bpf_word unsigned long
#define ___bpf_parm_count 8
#define ___bpf_parm1 0
#define ___bpf_parm2 1
#define ___bpf_parm3 2
#define ___bpf_parm4 3
#define ___bpf_parm5 4
#define ___bpf_parm6 5
#define ___bpf_parm7 6
#define ___bpf_parm8 7
#define ___bpf_syscall1 34 /* orig_x0: x0 is overwritten by the return value */
#define ___bpf_syscall2 1
#define ___bpf_syscall3 2
#define ___bpf_syscall4 3
#define ___bpf_syscall5 4
#define ___bpf_syscall6 5
#define ___bpf_rc 0
#define ___bpf_sp 31
#define ___bpf_ip 32
#define ___bpf_fp 29 /* x29 */

#elif defined(__TARGET_ARCH_arm)
/* uregs[18]: r0..r15 cpsr orig_r0, 32-bit words; the ABI passes 4 arguments in registers */
#define ___bpf_word unsigned int
#define ___bpf_parm_count 4
#define ___bpf_parm1 0
#define ___bpf_parm2 1
#define ___bpf_parm3 2
#define ___bpf_parm4 3
#define ___bpf_syscall1 0
#define ___bpf_syscall2 1
#define ___bpf_syscall3 2
#define ___bpf_syscall4 3
#define ___bpf_syscall5 4
#define ___bpf_syscall6 5
#define ___bpf_rc 0
#define ___bpf_sp 13
#define ___bpf_ip 15
#define ___bpf_fp 11

#elif defined(__TARGET_ARCH_s390)
/* args[1] psw.mask psw.addr gprs[16] orig_gpr2; the ABI passes 5 arguments in registers (r2..r6) */
#define ___bpf_word unsigned long
#define ___bpf_parm_count 5
#define ___bpf_parm1 5 /* gprs[2] */
#define ___bpf_parm2 6
#define ___bpf_parm3 7
#define ___bpf_parm4 8
#define ___bpf_parm5 9 /* gprs[6] */
#define ___bpf_syscall1 19 /* orig_gpr2 */
#define ___bpf_syscall2 6  /* gprs[3] */
#define ___bpf_syscall3 7
#define ___bpf_syscall4 8
#define ___bpf_syscall5 9
#define ___bpf_syscall6 10 /* gprs[7] */
#define ___bpf_rc 5       /* gprs[2] */
#define ___bpf_sp 18      /* gprs[15] */
#define ___bpf_ip 2       /* psw.addr */
#define ___bpf_fp 14      /* gprs[11] */

#elif defined(__TARGET_ARCH_riscv)
/* epc ra sp gp tp t0 t1 t2 s0 s1 a0..a7 s2..s11 t3..t6 status badaddr cause orig_a0 */
#define ___bpf_word unsigned long
#define ___bpf_parm_count 8
#define ___bpf_parm1 10 /* a0 */
#define ___bpf_parm2 11
#define ___bpf_parm3 12
#define ___bpf_parm4 13
#define ___bpf_parm5 14
#define ___bpf_parm6 15
#define ___bpf_parm7 16
#define ___bpf_parm8 17 /* a7 */
#define ___bpf_syscall1 35 /* orig_a0 */
#define ___bpf_syscall2 11
#define ___bpf_syscall3 12
#define ___bpf_syscall4 13
#define ___bpf_syscall5 14
#define ___bpf_syscall6 15
#define ___bpf_rc 10
#define ___bpf_sp 2
#define ___bpf_ip 0 /* epc */
#define ___bpf_fp 8 /* s0 */

#elif defined(__TARGET_ARCH_powerpc)
/* gpr[32] nip msr orig_gpr3 ctr link xer ccr ... */
#define ___bpf_word unsigned long
#define ___bpf_parm_count 8
#define ___bpf_parm1 3 /* r3 */
#define ___bpf_parm2 4
#define ___bpf_parm3 5
#define ___bpf_parm4 6
#define ___bpf_parm5 7
#define ___bpf_parm6 8
#define ___bpf_parm7 9
#define ___bpf_parm8 10 /* r10 */
#define ___bpf_syscall1 34 /* orig_gpr3 */
#define ___bpf_syscall2 4
#define ___bpf_syscall3 5
#define ___bpf_syscall4 6
#define ___bpf_syscall5 7
#define ___bpf_syscall6 8
#define ___bpf_rc 3
#define ___bpf_sp 1
#define ___bpf_ip 32 /* nip */
#define ___bpf_fp 31 /* r31, the frame pointer when one is kept */

#elif defined(__TARGET_ARCH_mips)
/* 64-bit kernels: regs[32] cp0_status hi lo cp0_badvaddr cp0_cause cp0_epc */
#define ___bpf_word unsigned long
#define ___bpf_parm_count 8
#define ___bpf_parm1 4 /* a0 */
#define ___bpf_parm2 5
#define ___bpf_parm3 6
#define ___bpf_parm4 7
#define ___bpf_parm5 8
#define ___bpf_parm6 9
#define ___bpf_parm7 10
#define ___bpf_parm8 11 /* a7 */
#define ___bpf_syscall1 4
#define ___bpf_syscall2 5
#define ___bpf_syscall3 6
#define ___bpf_syscall4 7
#define ___bpf_syscall5 8
#define ___bpf_syscall6 9
#define ___bpf_rc 2  /* v0 */
#define ___bpf_sp 29
#define ___bpf_ip 37 /* cp0_epc */
#define ___bpf_fp 30

#elif defined(__TARGET_ARCH_loongarch)
/* regs[32] orig_a0 csr_era csr_badvaddr ... */
#define ___bpf_word unsigned long
#define ___bpf_parm_count 8
#define ___bpf_parm1 4 /* a0 */
#define ___bpf_parm2 5
#define ___bpf_parm3 6
#define ___bpf_parm4 7
#define ___bpf_parm5 8
#define ___bpf_parm6 9
#define ___bpf_parm7 10
#define ___bpf_parm8 11 /* a7 */
#define ___bpf_syscall1 32 /* orig_a0 */
#define ___bpf_syscall2 5
#define ___bpf_syscall3 6
#define ___bpf_syscall4 7
#define ___bpf_syscall5 8
#define ___bpf_syscall6 9
#define ___bpf_rc 4
#define ___bpf_sp 3
#define ___bpf_ip 33 /* csr_era */
#define ___bpf_fp 22

#elif defined(__TARGET_ARCH_sparc)
/* sparc64: u_regs[16] (g0..g7, then the trapped window's o0..o7) tstate tpc tnpc */
#define ___bpf_word unsigned long
#define ___bpf_parm_count 6
#define ___bpf_parm1 8
#define ___bpf_parm2 9
#define ___bpf_parm3 10
#define ___bpf_parm4 11
#define ___bpf_parm5 12
#define ___bpf_parm6 13
#define ___bpf_syscall1 8
#define ___bpf_syscall2 9
#define ___bpf_syscall3 10
#define ___bpf_syscall4 11
#define ___bpf_syscall5 12
#define ___bpf_syscall6 13
#define ___bpf_rc 8
#define ___bpf_sp 14
#define ___bpf_ip 17 /* tpc */
#endif

/* ---- Register access -------------------------------------------------------------------------------------- */

#define ___bpf_missing(what) ({ \
	_Static_assert(0, what); \
	0UL; \
})

#ifdef ___bpf_word
/* Word n of the pt_regs at x: a load from the context, or a bpf_probe_read_kernel for any other pointer. */
#define ___bpf_reg(x, n) (((const ___bpf_word *)(x))[n])
#define ___bpf_reg_core(x, n) ({ \
	___bpf_word ___bpf_value = 0; \
	bpf_probe_read_kernel(&___bpf_value, sizeof(___bpf_value), &((const ___bpf_word *)(x))[n]); \
	___bpf_value; \
})
#define ___bpf_parm(x, n) ___bpf_apply(___bpf_parm_, ___bpf_apply(___bpf_has_parm, n))(x, n, reg)
#define ___bpf_parm_core(x, n) ___bpf_apply(___bpf_parm_, ___bpf_apply(___bpf_has_parm, n))(x, n, reg_core)
#define ___bpf_parm_yes(x, n, kind) ___bpf_concat(___bpf_, kind)(x, ___bpf_concat(___bpf_parm, n))
#define ___bpf_parm_no(x, n, kind) \
	___bpf_missing("PT_REGS_PARM" #n ": this architecture's calling convention passes fewer arguments in registers")
#if ___bpf_parm_count >= 8
#define ___bpf_has_parm8 yes
#define ___bpf_has_parm7 yes
#else
#define ___bpf_has_parm8 no
#define ___bpf_has_parm7 no
#endif
#if ___bpf_parm_count >= 6
#define ___bpf_has_parm6 yes
#else
#define ___bpf_has_parm6 no
#endif
#if ___bpf_parm_count >= 5
#define ___bpf_has_parm5 yes
#else
#define ___bpf_has_parm5 no
#endif
#define ___bpf_has_parm4 yes
#define ___bpf_has_parm3 yes
#define ___bpf_has_parm2 yes
#define ___bpf_has_parm1 yes

#define PT_REGS_PARM1(x) ___bpf_parm(x, 1)
#define PT_REGS_PARM2(x) ___bpf_parm(x, 2)
#define PT_REGS_PARM3(x) ___bpf_parm(x, 3)
#define PT_REGS_PARM4(x) ___bpf_parm(x, 4)
#define PT_REGS_PARM5(x) ___bpf_parm(x, 5)
#define PT_REGS_PARM6(x) ___bpf_parm(x, 6)
#define PT_REGS_PARM7(x) ___bpf_parm(x, 7)
#define PT_REGS_PARM8(x) ___bpf_parm(x, 8)
#define PT_REGS_PARM1_CORE(x) ___bpf_parm_core(x, 1)
#define PT_REGS_PARM2_CORE(x) ___bpf_parm_core(x, 2)
#define PT_REGS_PARM3_CORE(x) ___bpf_parm_core(x, 3)
#define PT_REGS_PARM4_CORE(x) ___bpf_parm_core(x, 4)
#define PT_REGS_PARM5_CORE(x) ___bpf_parm_core(x, 5)
#define PT_REGS_PARM6_CORE(x) ___bpf_parm_core(x, 6)
#define PT_REGS_PARM7_CORE(x) ___bpf_parm_core(x, 7)
#define PT_REGS_PARM8_CORE(x) ___bpf_parm_core(x, 8)

#define PT_REGS_PARM1_SYSCALL(x) ___bpf_reg(x, ___bpf_syscall1)
#define PT_REGS_PARM2_SYSCALL(x) ___bpf_reg(x, ___bpf_syscall2)
#define PT_REGS_PARM3_SYSCALL(x) ___bpf_reg(x, ___bpf_syscall3)
#define PT_REGS_PARM4_SYSCALL(x) ___bpf_reg(x, ___bpf_syscall4)
#define PT_REGS_PARM5_SYSCALL(x) ___bpf_reg(x, ___bpf_syscall5)
#define PT_REGS_PARM6_SYSCALL(x) ___bpf_reg(x, ___bpf_syscall6)
#define PT_REGS_PARM1_CORE_SYSCALL(x) ___bpf_reg_core(x, ___bpf_syscall1)
#define PT_REGS_PARM2_CORE_SYSCALL(x) ___bpf_reg_core(x, ___bpf_syscall2)
#define PT_REGS_PARM3_CORE_SYSCALL(x) ___bpf_reg_core(x, ___bpf_syscall3)
#define PT_REGS_PARM4_CORE_SYSCALL(x) ___bpf_reg_core(x, ___bpf_syscall4)
#define PT_REGS_PARM5_CORE_SYSCALL(x) ___bpf_reg_core(x, ___bpf_syscall5)
#define PT_REGS_PARM6_CORE_SYSCALL(x) ___bpf_reg_core(x, ___bpf_syscall6)

#define PT_REGS_RC(x) ___bpf_reg(x, ___bpf_rc)
#define PT_REGS_SP(x) ___bpf_reg(x, ___bpf_sp)
#define PT_REGS_IP(x) ___bpf_reg(x, ___bpf_ip)
#define PT_REGS_RC_CORE(x) ___bpf_reg_core(x, ___bpf_rc)
#define PT_REGS_SP_CORE(x) ___bpf_reg_core(x, ___bpf_sp)
#define PT_REGS_IP_CORE(x) ___bpf_reg_core(x, ___bpf_ip)
#ifdef ___bpf_fp
#define PT_REGS_FP(x) ___bpf_reg(x, ___bpf_fp)
#define PT_REGS_FP_CORE(x) ___bpf_reg_core(x, ___bpf_fp)
#else
#define PT_REGS_FP(x) ___bpf_missing("PT_REGS_FP: this architecture has no frame pointer register")
#define PT_REGS_FP_CORE(x) PT_REGS_FP(x)
#endif

#else /* no __TARGET_ARCH_ */
/* The message starts as libbpf's does, so that tools recognising it (bpf2java's per-source targets) see it too. */
#define ___bpf_no_arch(x) ___bpf_missing("Must specify a BPF target arch via __TARGET_ARCH_xxx: PT_REGS_* and " \
	"BPF_KPROBE need the target architecture: compile for an architecture target (bpf2java <targets>, e.g. amd64 " \
	"or arm64) or define __TARGET_ARCH_<arch>")
#define PT_REGS_PARM1(x) ___bpf_no_arch(x)
#define PT_REGS_PARM2(x) ___bpf_no_arch(x)
#define PT_REGS_PARM3(x) ___bpf_no_arch(x)
#define PT_REGS_PARM4(x) ___bpf_no_arch(x)
#define PT_REGS_PARM5(x) ___bpf_no_arch(x)
#define PT_REGS_PARM6(x) ___bpf_no_arch(x)
#define PT_REGS_PARM7(x) ___bpf_no_arch(x)
#define PT_REGS_PARM8(x) ___bpf_no_arch(x)
#define PT_REGS_PARM1_CORE(x) ___bpf_no_arch(x)
#define PT_REGS_PARM2_CORE(x) ___bpf_no_arch(x)
#define PT_REGS_PARM3_CORE(x) ___bpf_no_arch(x)
#define PT_REGS_PARM4_CORE(x) ___bpf_no_arch(x)
#define PT_REGS_PARM5_CORE(x) ___bpf_no_arch(x)
#define PT_REGS_PARM6_CORE(x) ___bpf_no_arch(x)
#define PT_REGS_PARM7_CORE(x) ___bpf_no_arch(x)
#define PT_REGS_PARM8_CORE(x) ___bpf_no_arch(x)
#define PT_REGS_PARM1_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_PARM2_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_PARM3_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_PARM4_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_PARM5_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_PARM6_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_PARM1_CORE_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_PARM2_CORE_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_PARM5_CORE_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) ___bpf_no_arch(x)
#define PT_REGS_RC(x) ___bpf_no_arch(x)
#define PT_REGS_SP(x) ___bpf_no_arch(x)
#define PT_REGS_IP(x) ___bpf_no_arch(x)
#define PT_REGS_FP(x) ___bpf_no_arch(x)
#define PT_REGS_RC_CORE(x) ___bpf_no_arch(x)
#define PT_REGS_SP_CORE(x) ___bpf_no_arch(x)
#define PT_REGS_IP_CORE(x) ___bpf_no_arch(x)
#define PT_REGS_FP_CORE(x) ___bpf_no_arch(x)
#endif

/* ---- Program definitions ---------------------------------------------------------------------------------- */
/*
 * int BPF_KPROBE(name, int fd, const char *path) { ... } defines the program name(struct pt_regs *ctx) and a
 * body that receives the named arguments (ctx stays in scope too). The arguments are converted from registers
 * (integers) to the declared types, pointers included, so the int-to-pointer warning is silenced in the wrapper.
 */
#define ___bpf_wrapper_begin \
	_Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wint-conversion\"")
#define ___bpf_wrapper_end _Pragma("GCC diagnostic pop")

#define ___bpf_define(name, ctx_type, args_from_ctx, params...) \
name(ctx_type ctx); \
static __always_inline typeof(name(0)) ___bpf_concat(___bpf_body_, name)(ctx_type ctx, ##params); \
typeof(name(0)) name(ctx_type ctx) \
{ \
	___bpf_wrapper_begin \
	return ___bpf_concat(___bpf_body_, name)(ctx args_from_ctx); \
	___bpf_wrapper_end \
} \
static __always_inline typeof(name(0)) ___bpf_concat(___bpf_body_, name)(ctx_type ctx, ##params)

/* ", PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), ..." for each of the parameters. */
#define ___bpf_kprobe_args(args...) ___bpf_apply(___bpf_kprobe_args, ___bpf_narg(args))(args)
#define ___bpf_kprobe_args0()
#define ___bpf_kprobe_args1(x) , PT_REGS_PARM1(ctx)
#define ___bpf_kprobe_args2(x, args...) ___bpf_kprobe_args1(x), PT_REGS_PARM2(ctx)
#define ___bpf_kprobe_args3(x, args...) ___bpf_kprobe_args2(x, args), PT_REGS_PARM3(ctx)
#define ___bpf_kprobe_args4(x, args...) ___bpf_kprobe_args3(x, args), PT_REGS_PARM4(ctx)
#define ___bpf_kprobe_args5(x, args...) ___bpf_kprobe_args4(x, args), PT_REGS_PARM5(ctx)
#define ___bpf_kprobe_args6(x, args...) ___bpf_kprobe_args5(x, args), PT_REGS_PARM6(ctx)
#define ___bpf_kprobe_args7(x, args...) ___bpf_kprobe_args6(x, args), PT_REGS_PARM7(ctx)
#define ___bpf_kprobe_args8(x, args...) ___bpf_kprobe_args7(x, args), PT_REGS_PARM8(ctx)

/* A kprobe (or uprobe) with the probed function's arguments. */
#define BPF_KPROBE(name, args...) ___bpf_define(name, struct pt_regs *, ___bpf_kprobe_args(args), ##args)
/* A kretprobe (or uretprobe) with at most one parameter: the probed function's return value. */
#define BPF_KRETPROBE(name, args...) ___bpf_define(name, struct pt_regs *, ___bpf_kretprobe_args(args), ##args)
#define ___bpf_kretprobe_args(args...) ___bpf_apply(___bpf_kretprobe_args, ___bpf_narg(args))(args)
#define ___bpf_kretprobe_args0()
#define ___bpf_kretprobe_args1(x) , PT_REGS_RC(ctx)

/* Probes on user space functions see the registers the same way. */
#define BPF_UPROBE(name, args...) BPF_KPROBE(name, ##args)
#define BPF_URETPROBE(name, args...) BPF_KRETPROBE(name, ##args)

/*
 * A kprobe on a system call (SEC("ksyscall/openat")) with the system call's arguments. Where the kernel enters
 * system calls through wrappers that receive the user's registers as a struct pt_regs (x86-64, arm64, s390,
 * riscv, powerpc, ... since Linux 4.17), the arguments are read from that struct; the loader says which is the
 * case through LINUX_HAS_SYSCALL_WRAPPER.
 */
extern int LINUX_HAS_SYSCALL_WRAPPER __kconfig;

#define ___bpf_syscall_args(regs, args...) ___bpf_apply(___bpf_syscall_args, ___bpf_narg(args))(regs, args)
#define ___bpf_syscall_args0(regs)
#define ___bpf_syscall_args1(regs, x) , ___bpf_syscall_arg(regs, PT_REGS_PARM1_CORE_SYSCALL, PT_REGS_PARM1_SYSCALL)
#define ___bpf_syscall_args2(regs, x, args...) \
	___bpf_syscall_args1(regs, x), ___bpf_syscall_arg(regs, PT_REGS_PARM2_CORE_SYSCALL, PT_REGS_PARM2_SYSCALL)
#define ___bpf_syscall_args3(regs, x, args...) \
	___bpf_syscall_args2(regs, x, args), ___bpf_syscall_arg(regs, PT_REGS_PARM3_CORE_SYSCALL, PT_REGS_PARM3_SYSCALL)
#define ___bpf_syscall_args4(regs, x, args...) \
	___bpf_syscall_args3(regs, x, args), ___bpf_syscall_arg(regs, PT_REGS_PARM4_CORE_SYSCALL, PT_REGS_PARM4_SYSCALL)
#define ___bpf_syscall_args5(regs, x, args...) \
	___bpf_syscall_args4(regs, x, args), ___bpf_syscall_arg(regs, PT_REGS_PARM5_CORE_SYSCALL, PT_REGS_PARM5_SYSCALL)
#define ___bpf_syscall_args6(regs, x, args...) \
	___bpf_syscall_args5(regs, x, args), ___bpf_syscall_arg(regs, PT_REGS_PARM6_CORE_SYSCALL, PT_REGS_PARM6_SYSCALL)
/* Macros reached through ___bpf_apply must not paste again (the pasting macro is not re-expanded there). */
#define ___bpf_syscall_arg(regs, from_wrapper, direct) (LINUX_HAS_SYSCALL_WRAPPER ? from_wrapper(regs) : direct(ctx))

#define BPF_KSYSCALL(name, args...) \
name(struct pt_regs *ctx); \
static __always_inline typeof(name(0)) ___bpf_concat(___bpf_body_, name)(struct pt_regs *ctx, ##args); \
typeof(name(0)) name(struct pt_regs *ctx) \
{ \
	struct pt_regs *___bpf_regs = LINUX_HAS_SYSCALL_WRAPPER ? (struct pt_regs *)(unsigned long)PT_REGS_PARM1(ctx) : ctx; \
	___bpf_wrapper_begin \
	return ___bpf_concat(___bpf_body_, name)(ctx ___bpf_syscall_args(___bpf_regs, ##args)); \
	___bpf_wrapper_end \
} \
static __always_inline typeof(name(0)) ___bpf_concat(___bpf_body_, name)(struct pt_regs *ctx, ##args)
#define BPF_KPROBE_SYSCALL BPF_KSYSCALL
/* The user's registers a syscall wrapper receives (kernels with LINUX_HAS_SYSCALL_WRAPPER). */
#define PT_REGS_SYSCALL_REGS(ctx) ((struct pt_regs *)(unsigned long)PT_REGS_PARM1(ctx))

/*
 * Programs whose context is an array of 64-bit argument values (fentry/fexit, fmod_ret, tp_btf, raw_tp, lsm,
 * struct_ops): BPF_PROG(name, struct task_struct *p, int n) takes argument i from ctx[i].
 */
#define ___bpf_ctx_args(args...) ___bpf_apply(___bpf_ctx_args, ___bpf_narg(args))(args)
#define ___bpf_ctx_args0()
#define ___bpf_ctx_args1(x) , ctx[0]
#define ___bpf_ctx_args2(x, args...) ___bpf_ctx_args1(x), ctx[1]
#define ___bpf_ctx_args3(x, args...) ___bpf_ctx_args2(x, args), ctx[2]
#define ___bpf_ctx_args4(x, args...) ___bpf_ctx_args3(x, args), ctx[3]
#define ___bpf_ctx_args5(x, args...) ___bpf_ctx_args4(x, args), ctx[4]
#define ___bpf_ctx_args6(x, args...) ___bpf_ctx_args5(x, args), ctx[5]
#define ___bpf_ctx_args7(x, args...) ___bpf_ctx_args6(x, args), ctx[6]
#define ___bpf_ctx_args8(x, args...) ___bpf_ctx_args7(x, args), ctx[7]
#define ___bpf_ctx_args9(x, args...) ___bpf_ctx_args8(x, args), ctx[8]
#define ___bpf_ctx_args10(x, args...) ___bpf_ctx_args9(x, args), ctx[9]
#define ___bpf_ctx_args11(x, args...) ___bpf_ctx_args10(x, args), ctx[10]
#define ___bpf_ctx_args12(x, args...) ___bpf_ctx_args11(x, args), ctx[11]

#define BPF_PROG(name, args...) ___bpf_define(name, unsigned long long *, ___bpf_ctx_args(args), ##args)

/*
 * Like BPF_PROG, for functions that take structs by value: the arguments are given as type, name pairs
 * (BPF_PROG2(name, struct bpf_iter_num, it, int, n)), and an argument larger than 8 bytes (at most 16) takes two
 * context slots, as the kernel passes it.
 */
#define ___bpf_slots(type) ((sizeof(type) + 7) / 8)
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
/* A value smaller than its slot sits in the slot's low-order bytes, which come last in memory. */
#define ___bpf_slot_bytes(raw, type) ((raw) << (sizeof(type) < 8 ? 64 - 8 * sizeof(type) : 0))
#else
#define ___bpf_slot_bytes(raw, type) (raw)
#endif
#define ___bpf_slot_value(i, type) ({ \
	union { \
		typeof(type) value; \
		unsigned long long raw[2]; \
	} ___bpf_slot = { .raw = { ___bpf_slot_bytes(ctx[i], type), sizeof(type) > 8 ? ctx[(i) + 1] : 0 } }; \
	___bpf_slot.value; \
})
#define ___bpf_pairs(args...) ___bpf_apply(___bpf_pairs, ___bpf_narg(args))(args)
#define ___bpf_pairs0()
#define ___bpf_pairs2(t, a) , t a
#define ___bpf_pairs4(t, a, args...) , t a ___bpf_pairs2(args)
#define ___bpf_pairs6(t, a, args...) , t a ___bpf_pairs4(args)
#define ___bpf_pairs8(t, a, args...) , t a ___bpf_pairs6(args)
#define ___bpf_pairs10(t, a, args...) , t a ___bpf_pairs8(args)
#define ___bpf_pairs12(t, a, args...) , t a ___bpf_pairs10(args)
#define ___bpf_pairs14(t, a, args...) , t a ___bpf_pairs12(args)
#define ___bpf_pairs16(t, a, args...) , t a ___bpf_pairs14(args)
#define ___bpf_pair_values(i, args...) ___bpf_apply(___bpf_pair_values, ___bpf_narg(args))(i, ##args)
#define ___bpf_pair_values0(i)
#define ___bpf_pair_values2(i, t, a) , ___bpf_slot_value(i, t)
#define ___bpf_pair_values4(i, t, a, args...) , ___bpf_slot_value(i, t) ___bpf_pair_values2(i + ___bpf_slots(t), args)
#define ___bpf_pair_values6(i, t, a, args...) , ___bpf_slot_value(i, t) ___bpf_pair_values4(i + ___bpf_slots(t), args)
#define ___bpf_pair_values8(i, t, a, args...) , ___bpf_slot_value(i, t) ___bpf_pair_values6(i + ___bpf_slots(t), args)
#define ___bpf_pair_values10(i, t, a, args...) \
	, ___bpf_slot_value(i, t) ___bpf_pair_values8(i + ___bpf_slots(t), args)
#define ___bpf_pair_values12(i, t, a, args...) \
	, ___bpf_slot_value(i, t) ___bpf_pair_values10(i + ___bpf_slots(t), args)
#define ___bpf_pair_values14(i, t, a, args...) \
	, ___bpf_slot_value(i, t) ___bpf_pair_values12(i + ___bpf_slots(t), args)
#define ___bpf_pair_values16(i, t, a, args...) \
	, ___bpf_slot_value(i, t) ___bpf_pair_values14(i + ___bpf_slots(t), args)

#define BPF_PROG2(name, args...) \
name(unsigned long long *ctx); \
static __always_inline typeof(name(0)) ___bpf_concat(___bpf_body_, name)(unsigned long long *ctx \
	___bpf_pairs(args)); \
typeof(name(0)) name(unsigned long long *ctx) \
{ \
	return ___bpf_concat(___bpf_body_, name)(ctx ___bpf_pair_values(0, ##args)); \
} \
static __always_inline typeof(name(0)) ___bpf_concat(___bpf_body_, name)(unsigned long long *ctx \
	___bpf_pairs(args))

#endif /* __BPF_TRACING_H__ */
