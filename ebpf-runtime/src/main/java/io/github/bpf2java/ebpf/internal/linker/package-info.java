/**
 * The BPF static linker's mechanics: several relocatable BPF objects (one per C file, as clang writes them) merged
 * into one, as libbpf's {@code bpf_linker} and {@code bpftool gen object} do. Sections of the same name are
 * concatenated, global symbols resolved across inputs (strong over weak, definitions over externs, {@code static}
 * symbols kept apart), relocations moved and rewritten, BTF concatenated, resolved and deduplicated, and
 * {@code .BTF.ext} records moved with their sections. The API is {@code io.github.bpf2java.ebpf.linker.StaticLinker}.
 */
package io.github.bpf2java.ebpf.internal.linker;
