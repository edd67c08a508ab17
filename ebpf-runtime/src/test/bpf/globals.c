// Global data in every section kind, subprograms, callbacks, externs and a rich struct for BTF describe tests.
#include "fixture.h"
#include <stdbool.h>

enum color { RED, GREEN = 5, BLUE = -1 };

union number {
    __u32 u;
    float f;
};

struct inner {
    __u8 tag;
    /* 7 bytes of padding here */
    __u64 value;
};

struct rich {
    __u32 counts[4];
    struct inner nested;
    union number num;
    unsigned int flag : 1;
    unsigned int level : 3;
    unsigned int rest : 28;
    enum color color;
    char name[8][2];
    void *ptr;
};

const volatile __u32 max_pid = 100;              /* .rodata */
const volatile char greeting[6] = "hello";       /* .rodata */
__u64 hits = 3;                                  /* .data */
static __u32 static_counter = 7;                 /* .data, static */
__u64 zeroed[4];                                 /* .bss */
struct rich rich_value;                          /* .bss */
__u32 custom_a SEC(".data.custom") = 0x11223344; /* .data.custom */
__u64 custom_b SEC(".data.custom") = 42;
const volatile __u16 tuned SEC(".rodata.tuning") = 9;

extern __u32 LINUX_KERNEL_VERSION __kconfig;
extern __u32 CONFIG_HZ __kconfig __weak;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern const int bpf_prog_active __ksym;

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, __u64);
} values SEC(".maps");

static __noinline __u64 add_static(__u64 a, __u64 b)
{
    return a * 3 + b + static_counter;
}

__noinline int global_helper(__u32 x)
{
    if (x > max_pid)
        return 1;
    return (int)(add_static(x, hits) & 0xff);
}

static long loop_cb(__u32 index, void *ctx)
{
    __u64 *sum = ctx;
    *sum += index;
    return 0;
}

static long each_cb(void *map, __u32 *key, __u64 *value, void *ctx)
{
    *value += 1;
    return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
    __u64 sum = 0;
    bpf_loop(10, loop_cb, &sum, 0);
    bpf_for_each_map_elem(&values, each_cb, NULL, 0);
    hits += sum + LINUX_KERNEL_VERSION + CONFIG_HZ + (CONFIG_BPF_SYSCALL ? 1 : 0);
    zeroed[1] = global_helper(greeting[1]);
    rich_value.level = 2;
    rich_value.nested.value = custom_b + custom_a + tuned;
    bpf_printk("sum %llu", sum);
    return 0;
}

/* Two programs in one section. */
SEC("tracepoint/syscalls/sys_enter_getppid")
int first_in_section(void *ctx)
{
    static_counter++;
    return global_helper(1);
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int second_in_section(void *ctx)
{
    /* A string literal passed by address lands in .rodata.str1.1. */
    bpf_trace_printk("literal %d", 11, 1);
    return (int)add_static(2, (__u64)&bpf_prog_active);
}

char LICENSE[] SEC("license") = "GPL";
