// SPDX-License-Identifier: GPL-2.0
/*
 * The C half of InterleavedConsume: libbpf's readers over maps the Java side created, built as a shared library the
 * Java side loads, so that Java and libbpf take turns in one process. A ring buffer map is shared by both readers; a
 * perf event array cannot be (each reader installs its own perf events), so libbpf reads a second array written by
 * programs identical to Java's. Each *_consume_ns() times one ring_buffer__consume() or perf_buffer__consume() with
 * CLOCK_MONOTONIC; the caller's own overhead (JNA) is outside the timed part.
 */
#include <bpf/libbpf.h>
#include <time.h>

#include "record_callback.h"

/* 8 MiB per CPU, as the Java reader's rings. */
#define PERF_PAGES (8 * 1024 * 1024 / 4096)

static long lost;

static void perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
    (void)cpu;
    ring_sample(ctx, data, size);
}

static void perf_lost(void *ctx, int cpu, __u64 count)
{
    (void)ctx;
    (void)cpu;
    lost += count;
}

static long elapsed_ns(const struct timespec *start, const struct timespec *end)
{
    return (end->tv_sec - start->tv_sec) * 1000000000L + (end->tv_nsec - start->tv_nsec);
}

/* A libbpf reader of the ring buffer map behind map_fd; copy: whether the callback copies each record first. */
void *ring_open(int map_fd, int copy)
{
    copy_mode = copy;
    return ring_buffer__new(map_fd, ring_sample, NULL, NULL);
}

/* Reads everything there is; returns the nanoseconds it took, or -1 unless exactly expected records came. */
long ring_consume_ns(void *rb, long expected)
{
    struct timespec start, end;
    handed = 0;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int n = ring_buffer__consume(rb);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (n < 0 || handed != expected)
        return -1;
    return elapsed_ns(&start, &end);
}

void ring_close(void *rb)
{
    ring_buffer__free(rb);
}

/* A libbpf reader of the perf event array behind map_fd (rings of 8 MiB, a wake-up per sample); NULL on failure. */
void *perf_open(int map_fd, int copy)
{
    copy_mode = copy;
    struct perf_buffer *pb = perf_buffer__new(map_fd, PERF_PAGES, perf_sample, perf_lost, NULL, NULL);
    return libbpf_get_error(pb) ? NULL : pb;
}

/* As ring_consume_ns; also -1 when samples were lost. */
long perf_consume_ns(void *pb, long expected)
{
    struct timespec start, end;
    handed = 0;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int n = perf_buffer__consume(pb);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (n < 0 || handed != expected || lost)
        return -1;
    return elapsed_ns(&start, &end);
}

void perf_close(void *pb)
{
    perf_buffer__free(pb);
}
