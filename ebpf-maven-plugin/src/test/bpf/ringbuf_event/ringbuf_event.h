/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space, as libbpf-tools' exitsnoop.h is: no map, global or function signature uses these types. */
#ifndef RINGBUF_EVENT_H
#define RINGBUF_EVENT_H

#define TASK_COMM_LEN 16

struct event {
    int pid;
    char comm[TASK_COMM_LEN];
    unsigned long long ts;
};

enum phase {
    PHASE_START = 1,
    PHASE_EXIT = 2,
};

typedef struct {
    unsigned int count;
    unsigned short flags;
} stats_t;

/* Declared, never defined: <types> cannot name it. */
struct opaque;

#endif
