/**
 * A bounds-checked reader for ELF64 files of the BPF machine ({@code EM_BPF}): section headers, the symbol table and
 * relocation sections. Pure Java; every offset is checked against the file before use, and malformed input fails
 * with an {@link io.github.bpf2java.ebpf.error.ObjectFormatException}.
 */
package io.github.bpf2java.ebpf.internal.elf;
