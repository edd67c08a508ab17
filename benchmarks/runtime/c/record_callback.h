// SPDX-License-Identifier: GPL-2.0
/*
 * The record callback both C baselines (events.c, interleaved.c) give libbpf: what the Java handlers of the
 * same names do. zeroCopy (copy_mode 0): read the record's first 8 bytes where it lies; copyInto (copy_mode 1):
 * copy the record into one buffer and read from there. Counts the records in handed.
 */
#ifndef RECORD_CALLBACK_H
#define RECORD_CALLBACK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static int copy_mode;
static unsigned char copy_buffer[2048];
static volatile uint64_t sum;
static long handed;

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

#endif
