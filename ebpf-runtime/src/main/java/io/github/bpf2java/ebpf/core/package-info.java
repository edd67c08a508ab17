/**
 * CO-RE (compile once, run everywhere) in user space: {@link io.github.bpf2java.ebpf.core.CoreCheck} resolves an
 * object's CO-RE relocations against a kernel's BTF without loading anything, as the loader does before every load
 * (see {@link io.github.bpf2java.ebpf.core.CoreMode}), so a build can tell which kernels an object will run on.
 */
package io.github.bpf2java.ebpf.core;
