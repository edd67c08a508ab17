package io.github.bpf2java.examples.helloworld;

import io.github.bpf2java.ebpf.sys.Tracefs;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Leaves the machine's mounts as the test class found them. Attaching a tracepoint program (and opening the trace
 * pipe) mounts tracefs when it is not mounted, and leaves it mounted; this mounts it before the class's tests and,
 * when it was not mounted before, unmounts it after them.
 */
final class TracefsMount implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TracefsMount.class);

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
