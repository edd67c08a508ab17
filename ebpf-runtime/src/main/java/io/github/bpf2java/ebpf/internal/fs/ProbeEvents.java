package io.github.bpf2java.ebpf.internal.fs;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kprobe and uprobe events made through tracefs ({@code kprobe_events}, {@code uprobe_events}): the way kernels
 * before 4.17, which have no kprobe and uprobe perf event sources, create probes. Each event gets a name unique to
 * this process; it is a tracepoint afterwards ({@code events/kprobes/<name>/id}) and must be removed when done.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class ProbeEvents {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** Which probe file. */
    public enum Kind {
        /** {@code kprobe_events}, group {@code kprobes}. */
        KPROBE("kprobe_events", "kprobes"),
        /** {@code uprobe_events}, group {@code uprobes}. */
        UPROBE("uprobe_events", "uprobes");

        private final String file;
        private final String group;

        Kind(String file, String group) {
            this.file = file;
            this.group = group;
        }
    }

    /** A probe event this process created; {@link #close()} removes it. */
    public record Event(Tracefs tracefs, Kind kind, String name, long id) implements AutoCloseable {
        @Override
        public void close() {
            try {
                Files.writeString(tracefs.root().resolve(kind.file), "-:" + kind.group + "/" + name + "\n",
                        StandardCharsets.US_ASCII, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new BpfException("cannot remove " + kind.group + "/" + name + " from "
                        + tracefs.root().resolve(kind.file) + ": " + e.getMessage(), e);
            }
        }
    }

    private ProbeEvents() {}

    /** Whether tracefs offers {@code kind}'s events file. */
    public static boolean available(Tracefs tracefs, Kind kind) {
        return Files.isWritable(tracefs.root().resolve(kind.file));
    }

    /**
     * Creates a probe event.
     *
     * @param definition what follows the event name in the probe line: {@code do_unlinkat+0},
     *                   {@code /bin/bash:0x1234(0x5678)}
     * @param ret        whether it is a return probe ({@code r:} rather than {@code p:})
     * @throws NotSupportedException when tracefs has no such events file
     */
    public static Event create(Tracefs tracefs, Kind kind, String definition, boolean ret) {
        Path file = tracefs.root().resolve(kind.file);
        if (!Files.exists(file)) {
            throw new NotSupportedException("this kernel has no " + file + " to create " + kind.group
                    + " probes through", "write " + kind.file, Errno.ENOENT.number(), kind.group,
                    "the kernel was built without " + (kind == Kind.KPROBE ? "CONFIG_KPROBE_EVENTS"
                            : "CONFIG_UPROBE_EVENTS"));
        }
        String name = "bpf2java_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
        String line = (ret ? "r:" : "p:") + kind.group + "/" + name + " " + definition + "\n";
        try {
            Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The write(2) error is the kernel's verdict on the probe line (ENOENT: no such symbol, EINVAL: ...).
            Errno errno = errnoOf(e);
            throw KernelErrors.forErrno("write " + file, errno.number(), kind.group + " probe '" + definition
                    + "'", "the kernel refused the probe line '" + line.trim() + "'; see " + tracefs.root()
                            .resolve("error_log"));
        }
        Path idFile = tracefs.root().resolve("events").resolve(kind.group).resolve(name).resolve("id");
        Event event = new Event(tracefs, kind, name, 0);
        try {
            long id = Long.parseLong(Files.readString(idFile, StandardCharsets.US_ASCII).trim());
            return new Event(tracefs, kind, name, id);
        } catch (IOException | NumberFormatException e) {
            event.close();
            throw new BpfException("cannot read the id of the new probe event " + idFile + ": " + e.getMessage(), e);
        }
    }

    private static Errno errnoOf(IOException e) {
        String message = String.valueOf(e.getMessage());
        for (Errno errno : Errno.values()) {
            if (message.contains(errno.description())) {
                return errno;
            }
        }
        return Errno.EINVAL;
    }
}
