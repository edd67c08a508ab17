/**
 * BPF ring buffers in shared memory: the consumer side of {@code BPF_MAP_TYPE_RINGBUF} ({@link
 * io.github.bpf2java.ebpf.internal.ringbuf.RingConsumer}) and the producer side of {@code BPF_MAP_TYPE_USER_RINGBUF}
 * ({@link io.github.bpf2java.ebpf.internal.ringbuf.RingProducer}): the memory layout the kernel maps
 * ({@code kernel/bpf/ringbuf.c}), record headers, and the acquire/release ordering of the positions. Waiting and
 * closing belong to the facade's readers.
 *
 * <p>Internal: not part of the stable API.
 */
package io.github.bpf2java.ebpf.internal.ringbuf;
