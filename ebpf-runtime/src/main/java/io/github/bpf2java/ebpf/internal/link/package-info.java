/**
 * Attaching loaded programs to their hooks and owning the descriptors that hold them. Internal: not part of the
 * API; {@code BpfProgram}'s attach methods are the way in.
 */
package io.github.bpf2java.ebpf.internal.link;
