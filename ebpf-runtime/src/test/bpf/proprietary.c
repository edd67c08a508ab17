// A program calling a GPL-only helper from an object whose license is not GPL-compatible: the verifier refuses it.
#include "fixture.h"

SEC("tracepoint/syscalls/sys_enter_getppid")
int uses_gpl_helper(void *ctx)
{
    return bpf_get_current_task() != 0;
}

char LICENSE[] SEC("license") = "Proprietary";
