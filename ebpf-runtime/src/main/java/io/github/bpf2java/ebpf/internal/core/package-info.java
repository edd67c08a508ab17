/**
 * CO-RE relocation in user space: the engine that resolves {@code .BTF.ext} CO-RE records of an object against a
 * target kernel's BTF and patches the instructions, as libbpf's {@code relo_core.c} defines the semantics. Pure Java
 * with no kernel access, so the loader and the build-time check ({@code io.github.bpf2java.ebpf.core.CoreCheck})
 * share it.
 */
package io.github.bpf2java.ebpf.internal.core;
