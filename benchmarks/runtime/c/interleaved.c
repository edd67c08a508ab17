// SPDX-License-Identifier: GPL-2.0
/*
 * The C half of InterleavedRingConsume: libbpf's ring buffer reader over a ring buffer map the Java side created,
 * built as a shared library the Java side loads, so that both readers take turns on the same map in one process.
 * Each call to ring_consume_ns() times one ring_buffer__consume() with CLOCK_MONOTONIC; the caller's own overhead
 * (JNA) is outside the timed part.
 */
#include <bpf/libbpf.h>
#include <time.h>

#include "record_callback.h"

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
    return (end.tv_sec - start.tv_sec) * 1000000000L + (end.tv_nsec - start.tv_nsec);
}

void ring_close(void *rb)
{
    ring_buffer__free(rb);
}
