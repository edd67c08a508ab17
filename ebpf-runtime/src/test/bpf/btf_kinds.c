// Every BTF kind an older kernel may lack, in one object that still runs on one: a DECL_TAG, TYPE_TAGs, a FLOAT, an
// ENUM64 and a signed enum, global data (VAR and DATASEC, and a .kconfig extern), a global and a static function
// (FUNC linkage). The loader tests force each feature off and check that the sanitized object still loads and
// computes the same.
#include "fixture.h"

enum wide { WIDE_VALUE = 0x10000000000ULL };
enum sign { NEGATIVE = -1, POSITIVE = 1 };

struct sample {
    float ratio;
    enum wide wide;
    enum sign sign;
    int __attribute__((btf_type_tag("tagged"))) *tagged;
};

struct sample last_sample = { .ratio = 1.5f, .wide = WIDE_VALUE, .sign = NEGATIVE };
__u64 result = 0;
__u64 calls __attribute__((btf_decl_tag("counter"))) = 0;
extern unsigned int LINUX_KERNEL_VERSION __kconfig;

__attribute__((noinline)) int add_global(int a, int b)
{
    return a + b;
}

static __attribute__((noinline)) int twice(int a)
{
    calls++;
    return a * 2;
}

SEC("xdp")
int btf_kinds(struct xdp_md *ctx)
{
    // 2 * (20 + 1) = 42, through a global and a static function, once .kconfig says which kernel runs this.
    result = twice(add_global(20, last_sample.sign == NEGATIVE ? 1 : 0)) + (last_sample.wide >> 40) - 1
            + (LINUX_KERNEL_VERSION != 0 ? 0 : 100);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
