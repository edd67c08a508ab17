package io.github.bpf2java.ebpf.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What {@link RestoresTracefs} does: notes the tracefs mount points before a class, unmounts new ones after it. */
final class TracefsRestorer implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            TracefsRestorer.class);
    private static final Path MOUNTS = Path.of("/proc/self/mounts");

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(context.getRequiredTestClass(), tracefsMountPoints());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
        @SuppressWarnings("unchecked")
        Set<String> before = context.getStore(NAMESPACE).remove(context.getRequiredTestClass(), Set.class);
        if (before == null) {
            return;
        }
        List<String> failures = new ArrayList<>();
        for (String mountPoint : tracefsMountPoints()) {
            if (!before.contains(mountPoint)) {
                Process umount = new ProcessBuilder("umount", mountPoint).redirectErrorStream(true).start();
                String output = new String(umount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (umount.waitFor() != 0) {
                    failures.add(mountPoint + " (umount: " + output + ")");
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("tracefs was mounted during the tests and could not be unmounted: "
                    + String.join(", ", failures));
        }
    }

    /** The mount points of tracefs in this process's mount namespace, in mount order; none off Linux. */
    static Set<String> tracefsMountPoints() {
        Set<String> points = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(MOUNTS, StandardCharsets.UTF_8)) {
                // "device mountpoint type options 0 0"; spaces in the mount point are written \040.
                String[] fields = line.split(" ");
                if (fields.length > 2 && fields[2].equals("tracefs")) {
                    points.add(fields[1].replace("\\040", " "));
                }
            }
        } catch (IOException notLinux) {
            return points;
        }
        return points;
    }
}
