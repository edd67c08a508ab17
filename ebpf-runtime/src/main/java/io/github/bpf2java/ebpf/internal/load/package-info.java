/**
 * One object load, step by step: BTF, maps, linking subprograms, relocations, program loads. Internal: not part of
 * the API; {@code BpfObject.load} is the way in.
 */
package io.github.bpf2java.ebpf.internal.load;
