/**
 * BPF Type Format: {@link io.github.bpf2java.ebpf.btf.Btf} parses {@code .BTF} sections, the kernel's
 * {@code /sys/kernel/btf/vmlinux} and split module BTF; {@link io.github.bpf2java.ebpf.btf.BtfEncoder} writes types
 * back for {@code BPF_BTF_LOAD}; {@link io.github.bpf2java.ebpf.btf.BtfExt} reads {@code .BTF.ext} (function info,
 * line info, CO-RE relocations). Pure Java, no native calls.
 */
package io.github.bpf2java.ebpf.btf;
