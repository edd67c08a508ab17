/**
 * What can go wrong, as one hierarchy under {@link io.github.bpf2java.ebpf.error.BpfException}: malformed objects
 * ({@link io.github.bpf2java.ebpf.error.ObjectFormatException}), kernel refusals
 * ({@link io.github.bpf2java.ebpf.error.KernelException} and its subclasses, with the errno by name in
 * {@link io.github.bpf2java.ebpf.error.Errno}), each with a hint when the fix is known. A leaf package: every other
 * package may use it, it uses none of them.
 */
package io.github.bpf2java.ebpf.error;
