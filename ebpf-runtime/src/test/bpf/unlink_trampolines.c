// fentry, fexit and LSM programs on unlink: BPF trampolines, run only in the test guest (the build machine's kernel
// may refuse them). Every program counts only the process the test names, so other processes cannot disturb it.
#include "fixture.h"
#include <bpf/bpf_tracing.h>

#define EPERM 1

const volatile __u32 target_tgid = 0;

__u64 unlink_entries = 0;
// A value no unlink returns, so that the test sees whether fexit ran at all.
__s64 last_unlink_result = 1;
__u64 unlinks_denied = 0;

static __always_inline int from_target(void)
{
    return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

// do_unlinkat(int dfd, struct filename *name) serves unlink(2) and unlinkat(2) without AT_REMOVEDIR.
SEC("fentry/do_unlinkat")
int BPF_PROG(count_unlink_entry, int dfd, void *name)
{
    if (from_target())
        __sync_fetch_and_add(&unlink_entries, 1);
    return 0;
}

SEC("fexit/do_unlinkat")
int BPF_PROG(record_unlink_result, int dfd, void *name, int ret)
{
    if (from_target())
        last_unlink_result = ret;
    return 0;
}

// security_inode_unlink(struct inode *dir, struct dentry *dentry); the last argument is the verdict so far.
SEC("lsm/inode_unlink")
int BPF_PROG(deny_unlink, void *dir, void *dentry, int verdict)
{
    if (verdict != 0)
        return verdict;
    if (!from_target())
        return 0;
    __sync_fetch_and_add(&unlinks_denied, 1);
    return -EPERM;
}

char __license[] SEC("license") = "GPL";
