/**
 * {@code ebpf:check}, without Maven: {@link io.github.bpf2java.maven.check.CheckOrchestrator} finds the built objects
 * ({@link io.github.bpf2java.maven.check.ObjectDiscovery}) and the kernel BTFs
 * ({@link io.github.bpf2java.maven.check.KernelBtfDiscovery}, read by
 * {@link io.github.bpf2java.maven.check.KernelBtfReader}), runs the runtime's CO-RE engine over each pair and
 * reports with {@link io.github.bpf2java.maven.check.CheckReport}.
 */
package io.github.bpf2java.maven.check;
