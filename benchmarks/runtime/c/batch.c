// SPDX-License-Identifier: GPL-2.0
/*
 * The C baseline for BatchLookupBenchmark: a HASH map of 10,000 u64 values under u32 keys, read whole through
 * libbpf's bpf_map_lookup_batch() and, for comparison, through 10,000 bpf_map_lookup_elem() calls.
 *
 *   batch [rounds [walks-per-round]]     defaults: 11 rounds of 200 walks
 *
 * Prints each round's microseconds per whole-map read for both ways, then "median-batch <us>" and
 * "median-single <us>" for run.sh.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ENTRIES 10000
#define MAX_ROUNDS 1000

static uint32_t keys[ENTRIES];
static uint64_t values[ENTRIES];

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

static double median(double *v, long n)
{
    qsort(v, n, sizeof(v[0]), compare_doubles);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Reads the whole map in batches; returns the sum of the values, checks the count. */
static uint64_t batch_walk(int fd)
{
    uint32_t in = 0, out = 0;
    uint64_t sum = 0;
    long total = 0;
    int first = 1;

    for (;;) {
        __u32 count = ENTRIES - total;
        int err = bpf_map_lookup_batch(fd, first ? NULL : &in, &out, keys + total, values + total, &count, NULL);
        total += count;
        first = 0;
        in = out;
        if (err) {
            if (errno == ENOENT)
                break;
            fprintf(stderr, "batch: bpf_map_lookup_batch failed: %s\n", strerror(errno));
            exit(1);
        }
        if (total >= ENTRIES)
            break;
    }
    if (total != ENTRIES) {
        fprintf(stderr, "batch: read %ld entries, expected %d\n", total, ENTRIES);
        exit(1);
    }
    for (long i = 0; i < total; i++)
        sum += values[i];
    return sum;
}

static uint64_t single_walk(int fd)
{
    uint64_t sum = 0, value;

    for (uint32_t key = 0; key < ENTRIES; key++) {
        if (bpf_map_lookup_elem(fd, &key, &value)) {
            fprintf(stderr, "batch: bpf_map_lookup_elem failed: %s\n", strerror(errno));
            exit(1);
        }
        sum += value;
    }
    return sum;
}

static long parse_count(const char *arg, const char *what, long max)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(arg, &end, 10);
    if (errno || *end || n <= 0 || n > max) {
        fprintf(stderr, "batch: %s must be a number from 1 to %ld, got '%s'\n", what, max, arg);
        exit(2);
    }
    return n;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? parse_count(argv[1], "rounds", MAX_ROUNDS) : 11;
    long walks = argc > 2 ? parse_count(argv[2], "walks per round", 1000000L) : 200;
    double batch_us[MAX_ROUNDS], single_us[MAX_ROUNDS];
    uint64_t expected = 0;
    int fd;

    fd = bpf_map_create(BPF_MAP_TYPE_HASH, "batch_bench", sizeof(uint32_t), sizeof(uint64_t), ENTRIES, NULL);
    if (fd < 0) {
        fprintf(stderr, "batch: bpf_map_create failed: %s (run as root, or with CAP_BPF)\n", strerror(errno));
        return 1;
    }
    for (uint32_t key = 0; key < ENTRIES; key++) {
        uint64_t value = (uint64_t)key * 31 + 7;
        if (bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST)) {
            fprintf(stderr, "batch: bpf_map_update_elem failed: %s\n", strerror(errno));
            return 1;
        }
        expected += value;
    }
    for (long w = 0; w < walks; w++)
        if (batch_walk(fd) != expected || single_walk(fd) != expected) {
            fprintf(stderr, "batch: a walk read other values than stored\n");
            return 1;
        }
    for (long r = 0; r < rounds; r++) {
        double start = now_ns();
        for (long w = 0; w < walks; w++)
            if (batch_walk(fd) != expected)
                return 1;
        batch_us[r] = (now_ns() - start) / walks / 1000;
        start = now_ns();
        for (long w = 0; w < walks / 10 + 1; w++)
            if (single_walk(fd) != expected)
                return 1;
        single_us[r] = (now_ns() - start) / (walks / 10 + 1) / 1000;
        printf("round %ld batch %.1f single %.1f\n", r + 1, batch_us[r], single_us[r]);
    }
    printf("median-batch %.1f\n", median(batch_us, rounds));
    printf("median-single %.1f\n", median(single_us, rounds));
    close(fd);
    return 0;
}
