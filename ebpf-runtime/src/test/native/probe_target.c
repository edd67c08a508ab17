/* The process the probe tests trace: waits for a line on stdin (so the test can attach first), then calls
 * probed_add() and fires two USDT probes `count` times, and prints the sum. The `guarded` probe fires only while its
 * semaphore is non-zero, i.e. while a tracer that the kernel counts is attached. The `global` probe hands over a
 * global variable, which gcc names by its symbol relative to %rip: an argument USDT readers cannot resolve. The
 * `twice` probe has two call sites with different arguments (a register, a constant) behind one semaphore. */
#define _SDT_HAS_SEMAPHORES 1
#include <stdio.h>
#include <stdlib.h>
#include <sys/sdt.h>

unsigned short bpf2java_tick_semaphore __attribute__((unused, section(".probes")));
unsigned short bpf2java_guarded_semaphore __attribute__((unused, section(".probes")));
unsigned short bpf2java_global_semaphore __attribute__((unused, section(".probes")));
unsigned short bpf2java_twice_semaphore __attribute__((unused, section(".probes")));
long probe_target_global;

__attribute__((noinline)) int probed_add(int a, int b)
{
    __asm__ volatile("");
    return a + b;
}

__attribute__((noinline)) int probed_other(int a)
{
    __asm__ volatile("");
    return a * 2;
}

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : 1;
    char line[64];
    if (!fgets(line, sizeof line, stdin))
        return 1;
    long total = 0;
    int guarded = 0;
    const char *lookups = 0;
    for (int i = 0; i < count; i++) {
        total += probed_add(i, 100);
        total += probed_other(i);
        lookups = getenv("BPF2JAVA_PROBE_TARGET");
        STAP_PROBE3(bpf2java, tick, i, total, -5);
        STAP_PROBE1(bpf2java, global, probe_target_global);
        if (bpf2java_guarded_semaphore) {
            guarded++;
            STAP_PROBE1(bpf2java, guarded, i);
        }
        if (bpf2java_twice_semaphore) {
            STAP_PROBE1(bpf2java, twice, i);
            STAP_PROBE1(bpf2java, twice, -1000);
        }
    }
    printf("%ld %d %s\n", total, guarded, lookups ? lookups : "-");
    return 0;
}
