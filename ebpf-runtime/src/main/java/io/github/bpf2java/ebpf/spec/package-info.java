/**
 * What a BPF object says before anything is loaded: {@link io.github.bpf2java.ebpf.spec.ObjectSpec} with its
 * programs, functions and their relocations, maps and global variables, read from ELF by a pure-Java reader, and
 * {@link io.github.bpf2java.ebpf.spec.SectionTable}, libbpf's section-name conventions. The build plugin and the
 * loader share these types.
 */
package io.github.bpf2java.ebpf.spec;
