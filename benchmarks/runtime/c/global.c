// SPDX-License-Identifier: GPL-2.0
/*
 * The C baseline for GlobalReadBenchmark: a one-element BPF_F_MMAPABLE ARRAY (what a .bss section is), mmap'd as
 * libbpf does for skeleton globals, and its u64 read through a volatile pointer in a timed loop.
 *
 *   global [rounds [reads-per-round]]     defaults: 11 rounds of 100000000 reads
 *
 * Prints each round's ns/op, then "median <ns/op>" for run.sh.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 1000
#define VALUE 0x0123456789abcdefull

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static long parse_count(const char *arg, const char *what, long max)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(arg, &end, 10);
    if (errno || *end || n <= 0 || n > max) {
        fprintf(stderr, "global: %s must be a number from 1 to %ld, got '%s'\n", what, max, arg);
        exit(2);
    }
    return n;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? parse_count(argv[1], "rounds", MAX_ROUNDS) : 11;
    long reads = argc > 2 ? parse_count(argv[2], "reads per round", 10000000000L) : 100000000;
    LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);
    double ns_per_op[MAX_ROUNDS];
    uint32_t key = 0;
    uint64_t value = VALUE, sink = 0;
    volatile uint64_t *global;
    int fd;

    fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "global_bench", sizeof(key), sizeof(value), 1, &opts);
    if (fd < 0) {
        fprintf(stderr, "global: bpf_map_create failed: %s (run as root, or with CAP_BPF)\n", strerror(errno));
        return 1;
    }
    if (bpf_map_update_elem(fd, &key, &value, BPF_ANY)) {
        fprintf(stderr, "global: bpf_map_update_elem failed: %s\n", strerror(errno));
        return 1;
    }
    global = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (global == MAP_FAILED) {
        fprintf(stderr, "global: mmap failed: %s\n", strerror(errno));
        return 1;
    }
    for (long i = 0; i < reads; i++)
        sink += *global;
    for (long r = 0; r < rounds; r++) {
        double start = now_ns();
        for (long i = 0; i < reads; i++)
            sink += *global;
        ns_per_op[r] = (now_ns() - start) / reads;
        printf("round %ld %.2f\n", r + 1, ns_per_op[r]);
    }
    if (sink != VALUE * (uint64_t)(reads * (rounds + 1))) {
        fprintf(stderr, "global: the reads did not all see the stored value\n");
        return 1;
    }
    qsort(ns_per_op, rounds, sizeof(ns_per_op[0]), compare_doubles);
    printf("median %.2f\n", rounds % 2 ? ns_per_op[rounds / 2]
                                       : (ns_per_op[rounds / 2 - 1] + ns_per_op[rounds / 2]) / 2);
    munmap((void *)global, sysconf(_SC_PAGESIZE));
    close(fd);
    return 0;
}
