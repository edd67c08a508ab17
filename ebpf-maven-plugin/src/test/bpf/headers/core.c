// CO-RE reads through our headers against the running kernel's BTF (vmlinux.h).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* A local flavor of task_struct: only the fields used, relocated by name. */
struct task_struct___local {
    int tgid;
    struct task_struct___local *real_parent;
    int field_that_does_not_exist;
} __attribute__((preserve_access_index));

__s32 target_tgid;
__u32 calls;
__s32 tgid;
__s32 parent_tgid;
__s32 local_parent_tgid;
__s32 leader_tgid;
char comm[16];
long comm_length;
char thread_comm[16];
long thread_comm_length;
__u32 pid_field_size;
__u32 pid_field_offset;
__u32 tgid_field_exists;
__u32 missing_field_exists;
__u32 task_type_exists;
__u32 task_type_size;
__u64 tgid_enum_value;
__u32 tgid_enum_exists;
__u64 bitfield_value = 99;
__u64 bitfield_probed_value = 98;

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    if (BPF_CORE_READ(task, tgid) != target_tgid)
        return 0;
    __sync_fetch_and_add(&calls, 1);
    tgid = BPF_CORE_READ(task, tgid);
    parent_tgid = BPF_CORE_READ(task, real_parent, tgid);
    BPF_CORE_READ_INTO(&leader_tgid, task, group_leader, real_parent, group_leader, tgid);
    local_parent_tgid = BPF_CORE_READ((struct task_struct___local *)task, real_parent, tgid);
    comm_length = BPF_CORE_READ_STR_INTO(&comm, task, group_leader, comm);
    thread_comm_length = BPF_CORE_READ_STR_INTO(&thread_comm, task, comm);
    pid_field_size = bpf_core_field_size(task->pid);
    pid_field_offset = bpf_core_field_offset(struct task_struct, pid);
    tgid_field_exists = bpf_core_field_exists(task->tgid);
    missing_field_exists = bpf_core_field_exists(((struct task_struct___local *)task)->field_that_does_not_exist);
    task_type_exists = bpf_core_type_exists(struct task_struct);
    task_type_size = bpf_core_type_size(struct task_struct);
    tgid_enum_exists = bpf_core_enum_value_exists(enum pid_type, PIDTYPE_TGID);
    tgid_enum_value = bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
    /* A bitfield of the kernel's types: the byte order and shifts come from relocations. */
    bitfield_probed_value = BPF_CORE_READ_BITFIELD_PROBED(task, sched_reset_on_fork);
    return 0;
}

SEC("tp_btf/sys_enter")
int on_sys_enter_btf(__u64 *ctx)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
    if (task->tgid != target_tgid)
        return 0;
    bitfield_value = BPF_CORE_READ_BITFIELD(task, sched_reset_on_fork);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
