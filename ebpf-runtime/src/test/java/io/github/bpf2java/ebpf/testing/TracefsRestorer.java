package io.github.bpf2java.ebpf.testing;

import io.github.bpf2java.ebpf.internal.fs.Tracefs;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Leaves the machine's mounts as each test class found them. Attaching a tracepoint program or opening the trace
 * pipe mounts tracefs when it is missing and leaves it mounted, as a user would want; a test run must not. So this
 * mounts it before the class (when it is missing) and unmounts it after. Registered for every test class of this
 * module through JUnit's extension auto-detection ({@code META-INF/services}).
 */
public final class TracefsRestorer implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(TracefsRestorer.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            context.getStore(NAMESPACE).put(Tracefs.class, Tracefs.findOrMount());
        } catch (RuntimeException cannotMount) {
            // Not root, or not Linux: the kernel tests skip (or fail) with the reason.
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Tracefs tracefs = context.getStore(NAMESPACE).remove(Tracefs.class, Tracefs.class);
        if (tracefs != null) {
            tracefs.unmount();
        }
    }
}
