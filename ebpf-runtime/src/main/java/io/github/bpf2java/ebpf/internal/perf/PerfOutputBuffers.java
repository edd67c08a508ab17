package io.github.bpf2java.ebpf.internal.perf;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens the per-CPU rings behind a perf event array: one {@code PERF_COUNT_SW_BPF_OUTPUT} event with
 * {@code PERF_SAMPLE_RAW} per online CPU ({@code perf_event_open(2)} with pid -1 and that CPU), mapped, enabled.
 * Storing each event's descriptor in the array at its CPU's index is the caller's job.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class PerfOutputBuffers {
    private PerfOutputBuffers() {}

    /**
     * What the rings look like.
     *
     * @param dataSize      bytes of each CPU's ring: a power-of-two multiple of the page size
     * @param wakeup        wake a waiting reader after this many samples, or after this many bytes with
     *                      {@code byBytes}
     * @param byBytes       whether {@code wakeup} counts bytes ({@code watermark}) rather than samples
     * @param overwritable  whether the kernel overwrites the oldest records when a ring is full
     */
    public record Settings(int dataSize, int wakeup, boolean byBytes, boolean overwritable) {
        /** The attributes of each CPU's event. */
        PerfEventAttr attr() {
            PerfEventAttr attr = new PerfEventAttr(PerfEventAttr.TYPE_SOFTWARE, PerfEventAttr.SW_BPF_OUTPUT, 1,
                    PerfEventAttr.SAMPLE_RAW, 0, java.util.Set.of(), wakeup, 0, 0, 0);
            if (byBytes) {
                attr = attr.with(PerfEventFlag.WATERMARK);
            }
            if (overwritable) {
                attr = attr.with(PerfEventFlag.WRITE_BACKWARD);
            }
            return attr;
        }
    }

    /**
     * Opens, maps and enables a ring for each of {@code cpus}; CPUs that are offline by the time their event is
     * opened are left out.
     *
     * @param name the map's name, for messages
     * @throws KernelException when an event cannot be opened or mapped (the rings opened before are closed)
     */
    public static List<PerfRing> open(List<Integer> cpus, Settings settings, String name) {
        int page = Libc.pageSize();
        if (settings.dataSize() < page || Integer.bitCount(settings.dataSize()) != 1) {
            throw new IllegalArgumentException("perf buffer of '" + name + "': " + settings.dataSize()
                    + " bytes per CPU; it must be a power-of-two multiple of the page size (" + page + ")");
        }
        // With PERF_FORMAT_LOST (Linux 6.0) each event also counts the samples dropped on it, readable at any time;
        // an older kernel refuses the format with EINVAL, and the rings then do without.
        PerfEventAttr attr = settings.attr().withReadFormat(PerfEventAttr.FORMAT_LOST);
        boolean countsLost = true;
        List<PerfRing> rings = new ArrayList<>();
        try {
            for (int cpu : cpus) {
                Fd event;
                String description = "bpf output of '" + name + "' on CPU " + cpu;
                try {
                    event = PerfEvents.open(attr, -1, cpu, Optional.empty(), description);
                } catch (KernelException e) {
                    if (Errno.ENODEV.is(e.errno())) {
                        continue; // went offline since the online list was read
                    }
                    if (!countsLost || !rings.isEmpty() || !Errno.EINVAL.is(e.errno())) {
                        throw e;
                    }
                    countsLost = false;
                    attr = settings.attr();
                    event = PerfEvents.open(attr, -1, cpu, Optional.empty(), description);
                }
                PerfRing ring = PerfRing.map(event, cpu, page, settings.dataSize(), settings.overwritable(),
                        countsLost);
                rings.add(ring);
                PerfEvents.enable(event);
            }
            return rings;
        } catch (RuntimeException e) {
            rings.forEach(PerfRing::close);
            throw e;
        }
    }
}
