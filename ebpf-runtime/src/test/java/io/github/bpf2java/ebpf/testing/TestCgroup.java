package io.github.bpf2java.ebpf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpf2java.ebpf.internal.fs.MountTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A cgroup v2 group of the test's own, on the host's cgroup2 mount ({@code /sys/fs/cgroup} on unified systems,
 * {@code /sys/fs/cgroup/unified} on hybrid ones) or, when the host has none, on a cgroup2 mount made under a
 * temporary directory for it. Closing removes the group (and that mount).
 */
@SuppressWarnings("try") // close() waits for exited members to leave, so it may be interrupted
public final class TestCgroup implements AutoCloseable {
    private final Path path;
    private final Path mountedHere;

    private TestCgroup(Path path, Path mountedHere) {
        this.path = path;
        this.mountedHere = mountedHere;
    }

    /** Creates the group {@code bpf2java-<label>-<pid>}. */
    public static TestCgroup create(String label) throws IOException {
        KernelSupport.assumeRoot();
        Optional<MountTable.Mount> cgroup2 = MountTable.read().ofType("cgroup2").stream().findFirst();
        Path root;
        Path mounted = null;
        if (cgroup2.isPresent()) {
            root = cgroup2.get().mountPoint();
        } else {
            mounted = Files.createTempDirectory("bpf2java-cgroup2");
            TestNetworkNamespace.run(List.of("mount", "-t", "cgroup2", "none", mounted.toString()));
            root = mounted;
        }
        Path group = Files.createDirectory(root.resolve("bpf2java-" + label + "-" + ProcessHandle.current().pid()));
        return new TestCgroup(group, mounted);
    }

    /** The group's directory. */
    public Path path() {
        return path;
    }

    /**
     * Runs {@code script} with bash in a child process that first moves itself into this group, and waits for it.
     */
    public String runInside(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "echo $$ > " + path.resolve("cgroup.procs") + " && " + script)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), script + ": " + out);
        return out;
    }

    @Override
    public void close() throws Exception {
        // A child that just exited may still count as a member for a moment.
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(path);
                break;
            } catch (IOException busy) {
                if (attempt == 50) {
                    throw new UncheckedIOException("cannot remove " + path, busy);
                }
                Thread.sleep(20);
            }
        }
        if (mountedHere != null) {
            TestNetworkNamespace.run(List.of("umount", mountedHere.toString()));
            Files.deleteIfExists(mountedHere);
        }
    }
}
