/**
 * Micrometer meters for bpf2java: {@link io.github.bpf2java.ebpf.micrometer.BpfMetrics} binds the run count and run
 * time of BPF programs and the records read and samples lost by ring and perf buffer readers to a
 * {@code MeterRegistry}.
 */
package io.github.bpf2java.ebpf.micrometer;
