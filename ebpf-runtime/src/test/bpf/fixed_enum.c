// 64-bit enums as clang writes them in BTF: one with a fixed 64-bit type becomes a BTF_KIND_ENUM of 8 bytes with
// its enumerators cut to 32 bits (clang 14 to 19); a plain one becomes an ENUM64 from clang 15 on, and the same cut
// ENUM with clang 14.
#include "fixture.h"

enum fixed_wide : __u64 { FIXED_SMALL = 1, FIXED_BIG = 0x123456789abcdef0ULL };
enum plain_wide { PLAIN_BIG = 0x123456789abcdef0ULL };
enum small { SMALL_ONE = 1 };

enum fixed_wide fixed_value = FIXED_BIG;
enum plain_wide plain_value = PLAIN_BIG;
enum small small_value = SMALL_ONE;

SEC("socket")
int read_enums(void *ctx)
{
    return (fixed_value == FIXED_BIG) + (plain_value == PLAIN_BIG) + small_value;
}

char LICENSE[] SEC("license") = "GPL";
