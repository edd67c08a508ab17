package io.github.bpf2java.ebpf.internal.load;

import java.util.List;

/** Closing several kernel resources so that one failure does not leave the others open. */
public final class Closeables {
    private Closeables() {}

    /** Closes each of {@code resources} in order, even when one fails, then throws the first failure. */
    public static void closeAll(List<? extends AutoCloseable> resources) {
        RuntimeException first = null;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
