// Programs that run through BPF trampolines: fentry and fexit count openat2 calls of the process in target_tgid, an
// LSM program denies opening files to processes named "bpf2java-denied".
#include "fixture.h"

__u32 target_tgid;
__u64 entries;
__u64 exits;
__u64 denials;

SEC("fentry/do_sys_openat2")
int on_open_entry(void *ctx)
{
    if ((bpf_get_current_pid_tgid() >> 32) == target_tgid)
        __sync_fetch_and_add(&entries, 1);
    return 0;
}

SEC("fexit/do_sys_openat2")
int on_open_exit(void *ctx)
{
    if ((bpf_get_current_pid_tgid() >> 32) == target_tgid)
        __sync_fetch_and_add(&exits, 1);
    return 0;
}

SEC("lsm/file_open")
int deny_open(void *ctx)
{
    char comm[16];
    const char denied[] = "bpf2java-denied";

    bpf_get_current_comm(comm, sizeof(comm));
    for (int i = 0; i < sizeof(denied); i++)
        if (comm[i] != denied[i])
            return 0;
    __sync_fetch_and_add(&denials, 1);
    return -1; /* -EPERM */
}

char LICENSE[] SEC("license") = "GPL";
