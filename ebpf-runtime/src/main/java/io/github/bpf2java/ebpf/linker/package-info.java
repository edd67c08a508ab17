/**
 * The BPF static linker: several objects compiled from separate C files linked into one object, as
 * {@code bpftool gen object} does. See {@link io.github.bpf2java.ebpf.linker.StaticLinker}.
 */
package io.github.bpf2java.ebpf.linker;
