/* A CO-RE program built against the vmlinux.h bpf2java writes: every kernel struct access below is a CO-RE
 * relocation (preserve_access_index), resolved against the running kernel's BTF when the object is loaded.
 * VmlinuxCoreProgramTest opens a file and checks what the program saw. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

int target_tgid;
int seen_tgid;
int seen_parent_tgid;
unsigned long long opens;
char seen_path[128];

SEC("tracepoint/syscalls/sys_enter_openat")
int on_openat(struct trace_event_raw_sys_enter *ctx)
{
	if (target_tgid == 0 || (bpf_get_current_pid_tgid() >> 32) != (unsigned int)target_tgid)
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	seen_tgid = BPF_CORE_READ(task, tgid);
	seen_parent_tgid = BPF_CORE_READ(task, real_parent, tgid);
	/* openat(dfd, filename, flags, mode): the context's layout comes from vmlinux.h as well. */
	const char *filename = (const char *)BPF_CORE_READ(ctx, args[1]);
	bpf_probe_read_user_str(seen_path, sizeof(seen_path), filename);
	__sync_fetch_and_add(&opens, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
