/**
 * Facts about the machine the runtime runs on: kernel release, possible CPUs. Internal: not part of the API.
 */
package io.github.bpf2java.ebpf.internal.host;
