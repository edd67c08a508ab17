/**
 * Waiting for and closing readers of shared memory: one consumer at a time with a close from any thread
 * ({@link io.github.bpf2java.ebpf.internal.poll.ConsumerGate}), and the bounded wait-then-drain loop the ring and
 * perf buffer readers share ({@link io.github.bpf2java.ebpf.internal.poll.PollLoop}), with the time budget of a
 * bounded wait ({@link io.github.bpf2java.ebpf.internal.poll.Timeouts}).
 *
 * <p>Internal: not part of the stable API.
 */
package io.github.bpf2java.ebpf.internal.poll;
