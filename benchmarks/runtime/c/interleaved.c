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

/* Times one read of everything there is; the nanoseconds it took, or -1 unless exactly expected records came. */
static long time_consume(int (*consume)(void *), void *reader, long expected)
{
    struct timespec start, end;
    handed = 0;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int n = consume(reader);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (n < 0 || handed != expected || lost)
        return -1;
    return (end.tv_sec - start.tv_sec) * 1000000000L + (end.tv_nsec - start.tv_nsec);
}

static int consume_ring(void *rb)
{
    return ring_buffer__consume(rb);
}

static int consume_perf(void *pb)
{
    return perf_buffer__consume(pb);
}

/* A libbpf reader of the ring buffer map behind map_fd; copy: whether the callback copies each record first. */
void *ring_open(int map_fd, int copy)
{
    copy_mode = copy;
    return ring_buffer__new(map_fd, ring_sample, NULL, NULL);
}

long ring_consume_ns(void *rb, long expected)
{
    return time_consume(consume_ring, rb, expected);
}

void ring_close(void *rb)
{
    ring_buffer__free(rb);
}

/* A libbpf reader of the perf event array behind map_fd (a wake-up per sample); NULL on failure. */
void *perf_open(int map_fd, int copy)
{
    copy_mode = copy;
    struct perf_buffer *pb = perf_buffer__new(map_fd, PERF_PAGES, perf_sample, perf_lost, NULL, NULL);
    return libbpf_get_error(pb) ? NULL : pb;
}

/* As ring_consume_ns; also -1 when samples were lost. */
long perf_consume_ns(void *pb, long expected)
{
    return time_consume(consume_perf, pb, expected);
}

void perf_close(void *pb)
{
    perf_buffer__free(pb);
}
