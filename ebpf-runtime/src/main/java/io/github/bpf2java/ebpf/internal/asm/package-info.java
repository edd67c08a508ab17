/**
 * Reading and patching BPF instructions in either byte order. Internal: not part of the API.
 */
package io.github.bpf2java.ebpf.internal.asm;
