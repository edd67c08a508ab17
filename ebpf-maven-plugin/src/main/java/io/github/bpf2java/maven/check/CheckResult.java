package io.github.bpf2java.maven.check;

import java.util.List;

/**
 * The outcome of {@code ebpf:check}: every kernel's result, in the order the kernels were listed.
 *
 * @param objects   every object that was selected for checking
 * @param kernels   one result per kernel
 * @param unchecked the objects no kernel was checked against, because none has their byte order
 */
public record CheckResult(List<String> objects, List<KernelResult> kernels, List<String> unchecked) {

    public CheckResult {
        objects = List.copyOf(objects);
        kernels = List.copyOf(kernels);
        unchecked = List.copyOf(unchecked);
    }

    /** Relocations that cannot be satisfied, on any kernel. */
    public boolean hasFailures() {
        return kernels.stream().anyMatch(k -> !k.failures().isEmpty());
    }

    /** Kernel BTFs that could not be read: a configuration error, never only a warning. */
    public boolean hasUnreadableKernels() {
        return kernels.stream().anyMatch(k -> k.unreadable().isPresent());
    }
}
