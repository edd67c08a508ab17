/**
 * What the running kernel supports, found by asking it: trivial program loads, map creations and BTF loads whose
 * outcome answers one question each, asked once per process. The loader consults {@link
 * io.github.bpf2java.ebpf.internal.probe.KernelFeatures} to adapt an object to an older kernel, as libbpf does;
 * {@code BpfFeatures} is the public face. Internal: not part of the API.
 */
package io.github.bpf2java.ebpf.internal.probe;
