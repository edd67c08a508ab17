package io.github.bpf2java.maven.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a {@link CheckResult} into what the build prints: one line per kernel ({@code OK} or how many relocations
 * fail), then every relocation that fails, once, with the kernels it fails on grouped by reason (against a BTFHub
 * directory the same relocation typically fails on hundreds of kernels for one reason), then a summary.
 */
public final class CheckReport {
    /** Kernels named per reason before the rest are only counted. */
    static final int KERNELS_NAMED = 10;
    /** How many unchecked objects the summary names before it counts the rest. */
    private static final int OBJECTS_NAMED = 3;

    private final CheckResult result;

    public CheckReport(CheckResult result) {
        this.result = result;
    }

    /** The line for each kernel, in the order the kernels were listed. */
    public List<String> kernelLines() {
        List<String> lines = new ArrayList<>();
        for (KernelResult kernel : result.kernels()) {
            String checked = plural(kernel.relocations(), "relocation") + " in " + plural(kernel.objects(), "object")
                    + (kernel.guarded() == 0 ? "" : "; " + kernel.guarded() + " unsatisfied behind an existence check");
            if (kernel.unreadable().isPresent()) {
                lines.add(kernel.kernel().name() + ": cannot be used: " + kernel.unreadable().get());
            } else if (kernel.failures().isEmpty()) {
                lines.add(kernel.kernel().name() + ": OK (" + checked + ")");
            } else {
                lines.add(kernel.kernel().name() + ": " + plural(kernel.failures().size(), "failure") + " (of "
                        + checked + ")");
            }
        }
        return lines;
    }

    /**
     * Every failing relocation, in object, program and instruction order, as a heading line followed by indented
     * lines {@code <reason>: <kernels>}; empty when nothing fails.
     */
    public List<String> failureLines() {
        Map<String, Map<String, List<String>>> kernelsByReasonByRelocation = new LinkedHashMap<>();
        result.kernels().stream()
                .flatMap(k -> k.failures().stream().map(f -> Map.entry(f, k.kernel().name())))
                .sorted((a, b) -> compare(a.getKey(), b.getKey()))
                .forEach(e -> kernelsByReasonByRelocation
                        .computeIfAbsent(e.getKey().relocation(), r -> new LinkedHashMap<>())
                        .computeIfAbsent(e.getKey().reason(), r -> new ArrayList<>())
                        .add(e.getValue()));
        List<String> lines = new ArrayList<>();
        kernelsByReasonByRelocation.forEach((relocation, kernelsByReason) -> {
            lines.add(relocation);
            kernelsByReason.forEach((reason, kernels) -> lines.add("    " + reason + ": " + kernelList(kernels)));
        });
        return lines;
    }

    /** One sentence saying what was checked and whether it passed. */
    public String summary() {
        int kernels = result.kernels().size();
        long failing = result.kernels().stream().filter(k -> !k.failures().isEmpty()).count();
        long unreadable = result.kernels().stream().filter(k -> k.unreadable().isPresent()).count();
        long relocations = result.kernels().stream().flatMap(k -> k.failures().stream())
                .map(RelocationFailure::relocation).distinct().count();
        long objects = result.kernels().stream().flatMap(k -> k.failures().stream())
                .map(RelocationFailure::object).distinct().count();
        StringBuilder sb = new StringBuilder();
        if (failing == 0 && unreadable == 0) {
            sb.append("CO-RE check passed: every relocation of ")
                    .append(plural(result.objects().size() - result.unchecked().size(), "object"))
                    .append(" is satisfied on ").append(plural(kernels, "kernel"));
            if (result.kernels().stream().anyMatch(k -> k.guarded() > 0)) {
                sb.append(", except in code behind an existence check that the kernel answers no, which cannot run"
                        + " there");
            }
        } else {
            sb.append("CO-RE check failed: ");
            if (failing > 0) {
                sb.append(plural(relocations, "relocation")).append(" in ").append(plural(objects, "object"))
                        .append(" cannot be satisfied on ")
                        .append(failing).append(" of ").append(plural(kernels, "kernel")).append(" (")
                        .append(kernelList(result.kernels().stream().filter(k -> !k.failures().isEmpty())
                                .map(k -> k.kernel().name()).toList())).append(")");
            }
            if (unreadable > 0) {
                sb.append(failing > 0 ? "; " : "").append(plural(unreadable, "kernel BTF")).append(" cannot be used (")
                        .append(kernelList(result.kernels().stream().filter(k -> k.unreadable().isPresent())
                                .map(k -> k.kernel().name()).toList())).append(")");
            }
        }
        if (!result.unchecked().isEmpty()) {
            // With the default targets every big-endian object is here: a few names say what is meant.
            List<String> unchecked = result.unchecked();
            String named = unchecked.stream().limit(OBJECTS_NAMED).collect(Collectors.joining(", "));
            sb.append(". Not checked, as no kernel listed has their byte order: ").append(named)
                    .append(unchecked.size() > OBJECTS_NAMED ? " and " + (unchecked.size() - OBJECTS_NAMED) + " more"
                            : "");
        }
        return sb.toString();
    }

    private static int compare(RelocationFailure a, RelocationFailure b) {
        int c = a.object().compareTo(b.object());
        if (c == 0) {
            c = a.program().compareTo(b.program());
        }
        if (c == 0) {
            c = Integer.compare(a.instruction(), b.instruction());
        }
        return c != 0 ? c : a.relocation().compareTo(b.relocation());
    }

    private static String kernelList(List<String> kernels) {
        String named = kernels.stream().limit(KERNELS_NAMED).collect(Collectors.joining(", "));
        return kernels.size() <= KERNELS_NAMED ? named
                : named + " and " + (kernels.size() - KERNELS_NAMED) + " more";
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
