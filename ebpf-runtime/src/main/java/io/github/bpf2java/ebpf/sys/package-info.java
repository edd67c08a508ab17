/**
 * The syscall layer of the runtime: {@code bpf(2)}, {@code perf_event_open(2)}, {@code mmap(2)} and mounts, called
 * through JNA direct mapping of the C library's {@code syscall} with fixed arities and native addresses; on JDK 22
 * and later {@code bpf(2)} goes through {@code java.lang.foreign} instead ({@code ForeignSyscall}), whose calls cost
 * a tenth of JNA's.
 *
 * <p><strong>Internal.</strong> These classes are public so the loader and the generated code's runtime can use
 * them across packages; they are not part of the stable API and may change in any release. Applications use
 * {@link io.github.bpf2java.ebpf.BpfObject} and the generated classes.
 *
 * <p>Conventions: every kernel object is held by an {@link io.github.bpf2java.ebpf.sys.Fd} (or
 * {@link io.github.bpf2java.ebpf.sys.MapFd}) that closes exactly once; every failure is a
 * {@link io.github.bpf2java.ebpf.KernelException} subclass naming the command, the object and the errno, with a
 * hint when the fix is known; {@code bpf_attr} layouts live in one place and are checked against the C compiler.
 */
package io.github.bpf2java.ebpf.sys;
