/* Shared by the test fixtures: the plain libbpf-style headers every one of them uses. */
#ifndef BPF2JAVA_FIXTURE_H
#define BPF2JAVA_FIXTURE_H

#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#endif
