/**
 * Typed data: {@link io.github.bpf2java.ebpf.codec.Codec} converts between Java values and the bytes of C types.
 * A leaf package: it uses no other package of the runtime.
 */
package io.github.bpf2java.ebpf.codec;
