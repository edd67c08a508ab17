/**
 * The {@code bpf(2)} commands and their attribute layouts ({@code bpf_attr}, checked against the C headers by a test),
 * with a type per kernel object kind: maps, programs, links, BTF, pins, object ids. Internal: not part of the API.
 */
package io.github.bpf2java.ebpf.internal.bpf;
