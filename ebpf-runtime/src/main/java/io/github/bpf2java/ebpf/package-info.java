/**
 * The runtime's facade: {@link io.github.bpf2java.ebpf.BpfObject} loads an object (usually through the class
 * bpf2java generates for a C file) and hands out its {@link io.github.bpf2java.ebpf.BpfProgram}s,
 * {@link io.github.bpf2java.ebpf.BpfMap}s and {@link io.github.bpf2java.ebpf.GlobalVariable}s;
 * {@link io.github.bpf2java.ebpf.LoadOptions} says how to load it. {@link io.github.bpf2java.ebpf.TypedMap} views a
 * map through {@link io.github.bpf2java.ebpf.codec.Codec}s; {@link io.github.bpf2java.ebpf.MapBatchCursor} walks
 * one in batches. Every kernel object is owned by the {@code BpfObject} that created it and closed with it.
 */
package io.github.bpf2java.ebpf;
