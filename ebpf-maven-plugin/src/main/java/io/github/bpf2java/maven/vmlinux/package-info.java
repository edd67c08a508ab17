/**
 * {@code vmlinux.h} from BTF, written in Java (no bpftool): every type of the kernel's BTF as C declarations in an
 * order a C compiler accepts, with the sizes and offsets the BTF says. The BTF comes from the runtime's public
 * {@code btf} parser; nothing here needs the kernel beyond reading a file.
 *
 * <p>The writer lives in the plugin rather than the runtime: only a build writes C headers, and a runtime user who
 * wants one runs {@code ebpf:vmlinux}.
 */
package io.github.bpf2java.maven.vmlinux;
