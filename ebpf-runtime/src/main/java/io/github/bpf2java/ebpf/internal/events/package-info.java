/**
 * JDK Flight Recorder events of the runtime: object loads, map creation, attach and detach, test runs. All in the
 * category {@code bpf2java}, all disabled unless a recording enables them; when disabled they cost a field check,
 * and their fields are computed only when {@code shouldCommit()} says the event will be recorded.
 *
 * <p>Internal: the event names ({@code io.github.bpf2java.*}) and fields are documented in
 * {@code docs/testing-bpf-programs.md}; the classes are not API.
 */
package io.github.bpf2java.ebpf.internal.events;
