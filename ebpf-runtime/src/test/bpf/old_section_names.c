// Section names libbpf accepted by prefix before 1.0 (the XDP tutorial's SEC("xdp_pass")), which current libbpf
// rejects: loadable only with the program type named.
#include "fixture.h"

SEC("xdp_pass")
int xdp_pass_func(struct xdp_md *ctx)
{
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
