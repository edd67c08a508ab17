// Conventions libbpf-style objects (libbpf-tools, usdt.bpf.h, sched_ext) rely on: a __hidden global helper that
// the verifier must follow with its caller's context, __weak kernel symbols the running kernel may lack, and a
// SEC("?...") program that loads only when asked for, and a BTF-typed program whose target is chosen at load.
#include "fixture.h"

#define __hidden __attribute__((visibility("hidden")))
#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) (!!(sym))
#endif

extern void bpf_rcu_read_lock(void) __ksym __weak;
extern void bpf_rcu_read_unlock(void) __ksym __weak;
extern int bpf2java_no_such_kfunc(int value) __ksym __weak;
extern const int bpf2java_no_such_variable __ksym __weak;
extern const void bpf2java_no_such_symbol __ksym __weak;

__u64 found[4];

// Global, so clang keeps it a separate function; hidden, so it may be checked as if static: only then does the
// verifier know that out points to the caller's stack rather than to memory that may be NULL.
__hidden __noinline int store_answer(long *out)
{
    *out = 42;
    return 0;
}

SEC("xdp")
int hidden_helper(struct xdp_md *ctx)
{
    long answer = 0;

    store_answer(&answer);
    return answer == 42 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int weak_symbols(struct xdp_md *ctx)
{
    found[0] = bpf_ksym_exists(bpf_rcu_read_lock);
    if (bpf_ksym_exists(bpf_rcu_read_lock)) {
        bpf_rcu_read_lock();
        bpf_rcu_read_unlock();
    }
    found[1] = bpf_ksym_exists(bpf2java_no_such_kfunc);
    if (bpf_ksym_exists(bpf2java_no_such_kfunc))
        found[1] = bpf2java_no_such_kfunc(1);
    found[2] = (__u64)&bpf2java_no_such_variable;
    found[3] = (__u64)&bpf2java_no_such_symbol;
    return XDP_PASS;
}

SEC("?xdp")
int unguarded_missing_kfunc(struct xdp_md *ctx)
{
    return bpf2java_no_such_kfunc(2) ? XDP_DROP : XDP_PASS;
}

// Its section names a placeholder; the caller picks the tracepoint, as funclatency picks its fentry target.
__u64 retargeted_hits;

SEC("?tp_btf/bpf2java_placeholder")
int retargeted(void *ctx)
{
    __sync_fetch_and_add(&retargeted_hits, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
