/* The process the uprobe and USDT tests trace: waits for a line on stdin (so the test can attach first), then calls
 * add3() `count` times, fires a USDT probe after each call, and prints the sum of the results. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/sdt.h>

__attribute__((noinline)) long add3(int a, long b, char c)
{
    __asm__ volatile("");
    return a + b + c;
}

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : 1;
    char line[16];
    if (!fgets(line, sizeof line, stdin))
        return 1;
    long total = 0;
    for (int i = 1; i <= count; i++) {
        total += add3(i, 1000L * i, 'x');
        STAP_PROBE3(bpf2java_headers, step, i, total, -7);
    }
    printf("%ld\n", total);
    return 0;
}
