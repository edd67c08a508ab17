/**
 * {@code perf_event_open(2)}: tracepoint, kprobe and uprobe events and their attributes. Internal: not part of the
 * API.
 */
package io.github.bpf2java.ebpf.internal.perf;
