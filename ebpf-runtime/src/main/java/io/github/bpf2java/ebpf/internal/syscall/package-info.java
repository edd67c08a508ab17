/**
 * The native bridge, the only code that calls native functions: the C library through JNA direct mapping, and
 * {@code bpf(2)} through {@code java.lang.foreign} on JDK 22+; descriptors ({@link io.github.bpf2java.ebpf.internal.syscall.Fd}),
 * native buffers, errno to exception mapping. Internal: not part of the API.
 */
package io.github.bpf2java.ebpf.internal.syscall;
