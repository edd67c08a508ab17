// SPDX-License-Identifier: GPL-2.0
/*
 * The C baseline for RingBufferConsumeBenchmark and PerfBufferConsumeBenchmark: the same object
 * (src/main/bpf/event_output.c, as the plugin compiled it) loaded with libbpf; each round the kernel writes a batch
 * of records (BPF_PROG_TEST_RUN of ring_<size> or perf_<size> with repeat = batch, not timed) and
 * ring_buffer__consume() or perf_buffer__consume() reads them all (timed).
 *
 *   events <object.o> ring|perf 64|1024 zeroCopy|copyInto [rounds [batch [warmup-rounds]]]
 *       defaults: 201 rounds of 4096 records, 50 warmup rounds
 *
 * zeroCopy: the callback reads the record's first 8 bytes where it lies; copyInto: it copies the record into one
 * buffer and reads from there, as the Java paths of the same names do. Perf rings are 8 MiB per CPU, as in Java.
 * Prints each round's ns/record, then "median <ns/record>" and "spread <min> <max>" for run-events.sh.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 100000

#include "record_callback.h"

static long parse_count(const char *arg, const char *what, long max)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(arg, &end, 10);
    if (errno || *end || n <= 0 || n > max) {
        fprintf(stderr, "events: %s must be a number from 1 to %ld, got '%s'\n", what, max, arg);
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

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: events <object.o> ring|perf 64|1024 zeroCopy|copyInto [rounds [batch [warmup]]]\n");
        return 2;
    }
    const char *path = argv[1];
    int perf = strcmp(argv[2], "perf") == 0;
    long size = parse_count(argv[3], "record size", 1024);
    copy_mode = strcmp(argv[4], "copyInto") == 0;
    long rounds = argc > 5 ? parse_count(argv[5], "rounds", MAX_ROUNDS) : 201;
    long batch = argc > 6 ? parse_count(argv[6], "batch", 1 << 20) : 4096;
    long warmup = argc > 7 ? parse_count(argv[7], "warmup rounds", MAX_ROUNDS) : 50;
    char program[32];
    snprintf(program, sizeof(program), "%s_%ld", perf ? "perf" : "ring", size);

    struct bpf_object *obj = bpf_object__open_file(path, NULL);
    if (!obj || libbpf_get_error(obj)) {
        fprintf(stderr, "events: cannot open %s\n", path);
        return 1;
    }
    if (bpf_object__load(obj)) {
        fprintf(stderr, "events: cannot load %s: %s\n", path, strerror(errno));
        return 1;
    }
    struct bpf_program *prog = bpf_object__find_program_by_name(obj, program);
    struct bpf_map *map = bpf_object__find_map_by_name(obj, perf ? "perf" : "ring");
    if (!prog || !map) {
        fprintf(stderr, "events: %s has no program %s or map\n", path, program);
        return 1;
    }
    struct ring_buffer *rb = NULL;
    struct perf_buffer *pb = NULL;
    if (perf)
        pb = perf_buffer__new(bpf_map__fd(map), PERF_PAGES, perf_sample, perf_lost, NULL, NULL);
    else
        rb = ring_buffer__new(bpf_map__fd(map), ring_sample, NULL, NULL);
    if ((perf && libbpf_get_error(pb)) || (!perf && !rb)) {
        fprintf(stderr, "events: cannot open the %s buffer: %s\n", perf ? "perf" : "ring", strerror(errno));
        return 1;
    }

    unsigned char packet[64] = {0};
    LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = packet, .data_size_in = sizeof(packet), .repeat = batch);
    double *ns = calloc(rounds, sizeof(double));
    for (long r = -warmup; r < rounds; r++) {
        if (bpf_prog_test_run_opts(bpf_program__fd(prog), &run)) {
            fprintf(stderr, "events: BPF_PROG_TEST_RUN failed: %s\n", strerror(errno));
            return 1;
        }
        handed = 0;
        double start = now_ns();
        int n = perf ? perf_buffer__consume(pb) : ring_buffer__consume(rb);
        double elapsed = now_ns() - start;
        if (n < 0 || handed != batch || lost) {
            fprintf(stderr, "events: read %ld of %ld records (%ld lost, consume returned %d)\n", handed, batch,
                    lost, n);
            return 1;
        }
        if (r >= 0)
            ns[r] = elapsed / batch;
    }
    for (long r = 0; r < rounds; r++)
        printf("round %ld %.2f\n", r, ns[r]);
    qsort(ns, rounds, sizeof(double), compare);
    printf("median %.2f\n", ns[rounds / 2]);
    printf("spread %.2f %.2f\n", ns[0], ns[rounds - 1]);
    ring_buffer__free(rb);
    perf_buffer__free(pb);
    bpf_object__close(obj);
    return 0;
}
