// SPDX-License-Identifier: GPL-2.0
/*
 * The C baseline for ArrayMapLookupBenchmark: the same hit lookup in an ARRAY map (u32 key, u64 value, 1024
 * entries), through libbpf's bpf_map_create() and bpf_map_lookup_elem(), in a timed loop.
 *
 *   lookup [rounds [calls-per-round [warmup-calls]]]     defaults: 15 rounds of 1000000 calls, 1000000 warmup
 *
 * Runs each round twice, alternately: as a single-threaded process, and with a second thread alive that only
 * waits. While a second thread lives the process's file descriptor table has two users, and the kernel then takes
 * and drops a reference on the map's file in every bpf() call (fdget() skips that only for a table with one user).
 * A JVM always has many threads, so the second kind of round is C in the situation of every call from Java.
 *
 * Prints each round's ns/op, then "median <ns/op>" (single-threaded) and "median-shared <ns/op>" for run.sh.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ENTRIES 1024
#define KEY 42u
#define VALUE 0x0123456789abcdefull
#define MAX_ROUNDS 1000

static long parse_count(const char *arg, const char *what, long max)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(arg, &end, 10);
    if (errno || *end || n <= 0 || n > max) {
        fprintf(stderr, "lookup: %s must be a number from 1 to %ld, got '%s'\n", what, max, arg);
        exit(2);
    }
    return n;
}

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

/* The second thread of a shared round: waits until the pipe's write end is closed. */
static void *wait_for_close(void *pipe_read_end)
{
    char c;

    while (read(*(int *)pipe_read_end, &c, 1) < 0 && errno == EINTR)
        ;
    return NULL;
}

static double median(double *values, long n)
{
    qsort(values, n, sizeof(values[0]), compare_doubles);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* Runs n lookups; any miss or error ends the program, so every timed call is a real hit. */
static void lookups(int map_fd, long n, uint64_t *sink)
{
    uint32_t key = KEY;
    uint64_t value;

    for (long i = 0; i < n; i++) {
        if (bpf_map_lookup_elem(map_fd, &key, &value)) {
            fprintf(stderr, "lookup: bpf_map_lookup_elem failed: %s\n", strerror(errno));
            exit(1);
        }
        *sink += value;
    }
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? parse_count(argv[1], "rounds", MAX_ROUNDS) : 15;
    long calls = argc > 2 ? parse_count(argv[2], "calls per round", 1000000000L) : 1000000;
    long warmup = argc > 3 ? parse_count(argv[3], "warmup calls", 1000000000L) : 1000000;
    double ns_per_op[MAX_ROUNDS], shared_ns_per_op[MAX_ROUNDS];
    uint32_t key = KEY;
    uint64_t value = VALUE, sink = 0;
    int map_fd;

    map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "lookup_bench", sizeof(key), sizeof(value), MAX_ENTRIES, NULL);
    if (map_fd < 0) {
        fprintf(stderr, "lookup: bpf_map_create failed: %s (run as root, or with CAP_BPF)\n", strerror(errno));
        return 1;
    }
    if (bpf_map_update_elem(map_fd, &key, &value, BPF_ANY)) {
        fprintf(stderr, "lookup: bpf_map_update_elem failed: %s\n", strerror(errno));
        return 1;
    }

    lookups(map_fd, warmup, &sink);
    for (long r = 0; r < 2 * rounds; r++) {
        int shared = r % 2, pipe_fds[2];
        pthread_t waiter;
        double start, ns;

        if (shared) {
            /* pthread_create() returns its error instead of setting errno. */
            int error = pipe(pipe_fds) ? errno : pthread_create(&waiter, NULL, wait_for_close, &pipe_fds[0]);

            if (error) {
                fprintf(stderr, "lookup: cannot start the second thread: %s\n", strerror(error));
                return 1;
            }
        }
        start = now_ns();
        lookups(map_fd, calls, &sink);
        ns = (now_ns() - start) / calls;
        (shared ? shared_ns_per_op : ns_per_op)[r / 2] = ns;
        printf("round %ld %s %.1f\n", r / 2 + 1, shared ? "shared" : "single", ns);
        if (shared) {
            close(pipe_fds[1]);
            pthread_join(waiter, NULL);
            close(pipe_fds[0]);
        }
    }
    /* Every lookup added VALUE: a sum that disagrees means a call read nothing. */
    if (sink != VALUE * (uint64_t)(warmup + 2 * rounds * calls)) {
        fprintf(stderr, "lookup: the lookups did not all read the stored value\n");
        return 1;
    }
    printf("median %.1f\n", median(ns_per_op, rounds));
    printf("median-shared %.1f\n", median(shared_ns_per_op, rounds));
    close(map_fd);
    return 0;
}
