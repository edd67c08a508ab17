// SPDX-License-Identifier: GPL-2.0
/*
 * The callbacks both C baselines (events.c, interleaved.c) give libbpf: what the Java handlers of the same names do.
 * zeroCopy (copy_mode 0): read the record's first 8 bytes where it lies; copyInto (copy_mode 1): copy the record into
 * one buffer and read from there. Counts the records in handed, the perf samples the kernel dropped in lost. Perf
 * rings are 8 MiB per CPU (PERF_PAGES pages), as the Java reader's in the benchmarks.
 */
#ifndef RECORD_CALLBACK_H
#define RECORD_CALLBACK_H

#include <linux/types.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static int copy_mode;
static unsigned char copy_buffer[2048];
static volatile uint64_t sum;
static long handed;
static long lost;

#define PERF_PAGES (8 * 1024 * 1024 / 4096)

static int ring_sample(void *ctx, void *data, size_t size)
{
    (void)ctx;
    if (copy_mode) {
        memcpy(copy_buffer, data, size);
        sum += *(uint64_t *)copy_buffer;
    } else {
        sum += *(uint64_t *)data;
    }
    handed++;
    return 0;
}

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

#endif
