/**
 * Options for attaching programs to network devices, cgroups and netfilter hooks: plain values the facade's
 * {@code BpfProgram.attach*} methods take. Nothing here touches the kernel.
 */
package io.github.bpf2java.ebpf.attach;
