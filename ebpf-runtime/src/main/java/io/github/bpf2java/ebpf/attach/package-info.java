/**
 * Plain values that say where and how a program attaches: probe and perf event options, options for network
 * devices, cgroups, netfilter hooks and iterators, link types. Nothing here touches the kernel; the facade's
 * {@code BpfProgram.attach*} methods take them and {@code BpfLink.info()} reports them.
 */
package io.github.bpf2java.ebpf.attach;
