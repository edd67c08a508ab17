package io.github.bpf2java.ebpf.internal.perf;

import io.github.bpf2java.ebpf.internal.bpf.AttrLayout;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of {@code struct perf_event_attr} this runtime sets, for {@code perf_event_open(2)}.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param type                    {@code type}: {@link #TYPE_SOFTWARE}, {@link #TYPE_TRACEPOINT}, or a dynamic PMU's
 *                                type (see {@link DynamicPmu})
 * @param config                  {@code config}: the event within the type (a tracepoint id, a software counter)
 * @param samplePeriodOrFrequency {@code sample_period}, or {@code sample_freq} with {@link PerfEventFlag#FREQ}
 * @param sampleType              {@code sample_type}, e.g. {@link #SAMPLE_RAW}
 * @param readFormat              {@code read_format}
 * @param flags                   the one-bit flags
 * @param wakeupEventsOrWatermark {@code wakeup_events}, or {@code wakeup_watermark} with
 *                                {@link PerfEventFlag#WATERMARK}
 * @param config1                 {@code config1} (kprobe_func / uprobe_path pointer for dynamic PMUs)
 * @param config2                 {@code config2} (probe offset or address)
 * @param config3                 {@code config3}
 */
public record PerfEventAttr(int type, long config, long samplePeriodOrFrequency, long sampleType, long readFormat,
        Set<PerfEventFlag> flags, int wakeupEventsOrWatermark, long config1, long config2, long config3) {

    /** {@code PERF_TYPE_HARDWARE}. */
    public static final int TYPE_HARDWARE = 0;
    /** {@code PERF_TYPE_SOFTWARE}. */
    public static final int TYPE_SOFTWARE = 1;
    /** {@code PERF_TYPE_TRACEPOINT}. */
    public static final int TYPE_TRACEPOINT = 2;
    /** {@code PERF_COUNT_SW_CPU_CLOCK}. */
    public static final long SW_CPU_CLOCK = 0;
    /** {@code PERF_COUNT_SW_BPF_OUTPUT}: the event behind {@code bpf_perf_event_output}. */
    public static final long SW_BPF_OUTPUT = 10;
    /** {@code PERF_SAMPLE_RAW}. */
    public static final long SAMPLE_RAW = 1L << 10;
    /** {@code PERF_FORMAT_LOST} (Linux 6.0): {@code read(2)} gives the samples lost after the counter's value. */
    public static final long FORMAT_LOST = 1L << 4;

    public PerfEventAttr {
        Objects.requireNonNull(flags, "flags");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    /** A tracepoint event, disabled until enabled, for attaching a program with {@code PERF_EVENT_IOC_SET_BPF}. */
    public static PerfEventAttr tracepoint(long tracepointId) {
        return new PerfEventAttr(TYPE_TRACEPOINT, tracepointId, 1, SAMPLE_RAW, 0, Set.of(PerfEventFlag.DISABLED), 1,
                0, 0, 0);
    }

    /** The software event {@code bpf_perf_event_output} writes to, waking readers every {@code wakeupEvents}. */
    public static PerfEventAttr bpfOutput(int wakeupEvents) {
        return new PerfEventAttr(TYPE_SOFTWARE, SW_BPF_OUTPUT, 1, SAMPLE_RAW, 0, Set.of(), wakeupEvents, 0, 0, 0);
    }

    /** The same attributes with {@code flag} added. */
    public PerfEventAttr with(PerfEventFlag flag) {
        Set<PerfEventFlag> more = flags.isEmpty() ? EnumSet.noneOf(PerfEventFlag.class) : EnumSet.copyOf(flags);
        more.add(flag);
        return new PerfEventAttr(type, config, samplePeriodOrFrequency, sampleType, readFormat, more,
                wakeupEventsOrWatermark, config1, config2, config3);
    }

    /** The same attributes with {@code read_format} {@code readFormat}. */
    public PerfEventAttr withReadFormat(long readFormat) {
        return new PerfEventAttr(type, config, samplePeriodOrFrequency, sampleType, readFormat, flags,
                wakeupEventsOrWatermark, config1, config2, config3);
    }

    /** The same attributes with {@code config1} and {@code config2} (dynamic kprobe/uprobe PMUs). */
    public PerfEventAttr withProbeConfig(long config1, long config2) {
        return new PerfEventAttr(type, config, samplePeriodOrFrequency, sampleType, readFormat, flags,
                wakeupEventsOrWatermark, config1, config2, config3);
    }

    /** The 64-bit flags word in host byte order. */
    long flagsWord() {
        long word = 0;
        for (PerfEventFlag f : flags) {
            word |= f.mask();
        }
        return word;
    }

    void writeTo(NativeBuffer b) {
        b.putInt(AttrLayout.PerfEvent.TYPE, type)
                .putInt(AttrLayout.PerfEvent.SIZE_FIELD, AttrLayout.PerfEvent.SIZE)
                .putLong(AttrLayout.PerfEvent.CONFIG, config)
                .putLong(AttrLayout.PerfEvent.SAMPLE_PERIOD, samplePeriodOrFrequency)
                .putLong(AttrLayout.PerfEvent.SAMPLE_TYPE, sampleType)
                .putLong(AttrLayout.PerfEvent.READ_FORMAT, readFormat)
                .putLong(AttrLayout.PerfEvent.FLAGS, flagsWord())
                .putInt(AttrLayout.PerfEvent.WAKEUP_EVENTS, wakeupEventsOrWatermark)
                .putLong(AttrLayout.PerfEvent.CONFIG1, config1)
                .putLong(AttrLayout.PerfEvent.CONFIG2, config2)
                .putLong(AttrLayout.PerfEvent.CONFIG3, config3);
    }
}
