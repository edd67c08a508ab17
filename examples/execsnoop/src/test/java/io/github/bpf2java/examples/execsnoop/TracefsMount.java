package io.github.bpf2java.examples.execsnoop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Leaves the machine's mounts as the test class found them. Attaching a tracepoint program (and opening the trace
 * pipe) mounts tracefs when it is not mounted, and leaves it mounted; when tracefs was not mounted before the
 * class's tests, this unmounts what they mounted.
 */
final class TracefsMount implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TracefsMount.class);
    private static final Path MOUNTS = Path.of("/proc/self/mounts");

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(Boolean.class, tracefsMountPoint().isPresent());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
        boolean wasMounted = context.getStore(NAMESPACE).remove(Boolean.class, Boolean.class);
        Optional<String> mountPoint = tracefsMountPoint();
        if (!wasMounted && mountPoint.isPresent()) {
            new ProcessBuilder("umount", mountPoint.get()).inheritIO().start().waitFor();
        }
    }

    private static Optional<String> tracefsMountPoint() {
        try {
            return Files.readAllLines(MOUNTS).stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length > 2 && fields[2].equals("tracefs"))
                    .map(fields -> fields[1])
                    .findFirst();
        } catch (IOException notLinux) {
            return Optional.empty();
        }
    }
}
