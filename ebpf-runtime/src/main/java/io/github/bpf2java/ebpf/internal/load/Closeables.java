package io.github.bpf2java.ebpf.internal.load;

import java.util.ArrayList;
import java.util.List;

/** Closing several kernel resources so that one failure does not leave the others open. */
public final class Closeables {
    private Closeables() {}

    /** Closes each of {@code resources} in order, even when one fails, then throws the first failure. */
    public static void closeAll(List<? extends AutoCloseable> resources) {
        List<Throwable> failures = new ArrayList<>();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        throwFirst(failures);
    }

    /**
     * Throws the first of {@code failures} with the others suppressed in it: as it is when unchecked, in an
     * {@link IllegalStateException} when checked; returns when there are none.
     */
    public static void throwFirst(List<? extends Throwable> failures) {
        if (failures.isEmpty()) {
            return;
        }
        Throwable first = failures.get(0);
        Throwable thrown = first instanceof RuntimeException || first instanceof Error ? first
                : new IllegalStateException(first);
        for (Throwable other : failures.subList(1, failures.size())) {
            thrown.addSuppressed(other);
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        throw (RuntimeException) thrown;
    }
}
