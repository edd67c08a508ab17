package io.github.bpf2java.ebpf.micrometer;

import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.BpfProgram;
import io.github.bpf2java.ebpf.BpfProgramStats;
import io.github.bpf2java.ebpf.PerfEventReader;
import io.github.bpf2java.ebpf.RingBufferReader;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds BPF programs and event readers to a Micrometer {@link MeterRegistry}:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code bpf.program.runs}</td><td>function timer</td><td>{@code program} (and {@code object})</td>
 *       <td>runs of the program and their total run time, as the kernel counts them</td></tr>
 *   <tr><td>{@code bpf.program.recursion.misses}</td><td>function counter</td><td>{@code program} (and
 *       {@code object})</td>
 *       <td>runs the kernel skipped because the program was already running on that CPU</td></tr>
 *   <tr><td>{@code bpf.reader.records}</td><td>function counter</td><td>{@code reader}, {@code kind}</td>
 *       <td>records (ring buffer) or samples (perf buffer) handed to the reader's handlers</td></tr>
 *   <tr><td>{@code bpf.reader.lost}</td><td>function counter</td><td>{@code reader}, {@code kind}</td>
 *       <td>samples the kernel dropped because the perf buffer was full: as the kernel counts them
 *       ({@link PerfEventReader#kernelLostSamples()}, Linux 6.0+), else as its lost-sample records are read</td></tr>
 * </table>
 *
 * <p>Programs added with {@link Builder#object} are tagged {@code object} with the object's name too. A ring buffer
 * reader has no lost meter: the kernel does not count what a full ring buffer refused ({@code bpf_ringbuf_reserve}
 * returns NULL); count that in the program, in a global, and publish it with a {@code FunctionCounter}.
 *
 * <p>Close the binder with what it measures: it removes its meters from the registries it was bound to. Micrometer
 * hands back the existing meter for a name and tags it already has, so meters left behind by a closed object would
 * keep standing for the object loaded next in its place, reading nothing.
 *
 * <pre>{@code
 * try (BpfStats stats = BpfStats.enable();             // the kernel counts runs only while statistics are on
 *         Execsnoop execsnoop = Execsnoop.load();
 *         RingBufferReader reader = RingBufferReader.open(execsnoop.events(), handler);
 *         BpfMetrics metrics = BpfMetrics.builder().object(execsnoop.object()).reader("events", reader).build()) {
 *     metrics.bindTo(registry);
 *     ...
 * }
 * }</pre>
 *
 * <p>The kernel counts program runs and run time only while {@code BPF_ENABLE_STATS} is on: hold a
 * {@link io.github.bpf2java.ebpf.BpfStats} open for as long as the meters should move (it costs two clock reads per
 * program run on the whole host). Meters hold their program or reader weakly, as Micrometer's function meters do,
 * and read {@code NaN} (a timer's count: 0) once it is closed, so binding never keeps a closed object alive or
 * throws in a scrape.
 */
public final class BpfMetrics implements MeterBinder, AutoCloseable {
    private final List<TaggedProgram> programs;
    private final List<NamedReader> readers;
    private final Tags tags;
    // Every meter bindTo registered, with its registry, for close() to remove.
    private final List<Map.Entry<MeterRegistry, Meter>> bound = new ArrayList<>();

    private BpfMetrics(Builder builder) {
        this.programs = List.copyOf(builder.programs);
        this.readers = List.copyOf(builder.readers);
        this.tags = builder.tags;
    }

    /** Starts a binder; add the programs and readers to measure. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (TaggedProgram tagged : programs) {
            BpfProgram program = tagged.program();
            Tags programTags = tags.and(tagged.tags()).and("program", program.name());
            remember(registry, FunctionTimer.builder("bpf.program.runs", program,
                            p -> runCount(p), p -> stat(p, BpfProgramStats::runTimeNs),
                            TimeUnit.NANOSECONDS)
                    .tags(programTags)
                    .description("Runs of the BPF program and their total run time (while BPF statistics are on)")
                    .register(registry));
            remember(registry, FunctionCounter.builder("bpf.program.recursion.misses", program,
                            p -> stat(p, BpfProgramStats::recursionMisses))
                    .tags(programTags)
                    .description("Runs skipped because the program was already running on that CPU")
                    .register(registry));
        }
        for (NamedReader reader : readers) {
            Tags readerTags = tags.and("reader", reader.name).and("kind", reader.kind);
            remember(registry, FunctionCounter.builder("bpf.reader.records", reader.reader, reader.records)
                    .tags(readerTags)
                    .description("Records or samples handed to the reader's handlers")
                    .register(registry));
            if (reader.lost != null) {
                remember(registry, FunctionCounter.builder("bpf.reader.lost", reader.reader, reader.lost)
                        .tags(readerTags)
                        .description("Samples the kernel dropped because the buffer was full")
                        .register(registry));
            }
        }
    }

    private synchronized void remember(MeterRegistry registry, Meter meter) {
        bound.add(Map.entry(registry, meter));
    }

    /** Removes the meters {@link #bindTo} registered from their registries; later calls do nothing. */
    @Override
    public synchronized void close() {
        for (Map.Entry<MeterRegistry, Meter> meter : bound) {
            meter.getKey().remove(meter.getValue());
        }
        bound.clear();
    }

    /** Lost samples as the kernel counts them where it does (6.0+), else as their records are read. */
    private static double lost(PerfEventReader reader) {
        try {
            OptionalLong counted = reader.kernelLostSamples();
            return counted.isPresent() ? counted.getAsLong() : reader.lostSamples();
        } catch (RuntimeException closed) {
            return Double.NaN; // a scrape must not fail because the reader was closed meanwhile
        }
    }

    private static long runCount(BpfProgram program) {
        double count = stat(program, BpfProgramStats::runCount);
        return Double.isNaN(count) ? 0 : (long) count; // a timer's count is a long: 0 stands for "unknown"
    }

    private static double stat(BpfProgram program, ToDoubleFunction<BpfProgramStats> field) {
        try {
            return field.applyAsDouble(program.stats());
        } catch (RuntimeException closedOrRefused) {
            return Double.NaN; // a scrape must not fail because the object was closed meanwhile
        }
    }

    /** A program with the tags of where it came from. */
    private record TaggedProgram(BpfProgram program, Tags tags) {}

    /** A reader with its name and how to read its counters. */
    private record NamedReader(String name, String kind, Object reader, ToDoubleFunction<Object> records,
            ToDoubleFunction<Object> lost) {}

    /** Collects what {@link BpfMetrics} measures. */
    public static final class Builder {
        private final List<TaggedProgram> programs = new ArrayList<>();
        private final List<NamedReader> readers = new ArrayList<>();
        private Tags tags = Tags.empty();

        private Builder() {}

        /** Every program of {@code object}, tagged {@code object} with its name as well as {@code program}. */
        public Builder object(BpfObject object) {
            Tags objectTag = Tags.of("object", object.spec().name());
            object.programs().forEach(program -> programs.add(new TaggedProgram(program, objectTag)));
            return this;
        }

        /** One program, tagged {@code program} with its name. */
        public Builder program(BpfProgram program) {
            programs.add(new TaggedProgram(Objects.requireNonNull(program, "program"), Tags.empty()));
            return this;
        }

        /** A ring buffer reader, tagged {@code reader=name}, {@code kind=ringbuf}. */
        public Builder reader(String name, RingBufferReader reader) {
            Objects.requireNonNull(reader, "reader");
            readers.add(new NamedReader(name, "ringbuf", reader,
                    r -> (double) ((RingBufferReader) r).recordsRead(), null));
            return this;
        }

        /** A perf buffer reader, tagged {@code reader=name}, {@code kind=perf}; its lost samples are counted too. */
        public Builder reader(String name, PerfEventReader reader) {
            Objects.requireNonNull(reader, "reader");
            readers.add(new NamedReader(name, "perf", reader,
                    r -> (double) ((PerfEventReader) r).samplesRead(),
                    r -> lost((PerfEventReader) r)));
            return this;
        }

        /** Tags added to every meter, e.g. the application's name. */
        public Builder tags(Iterable<Tag> common) {
            this.tags = this.tags.and(common);
            return this;
        }

        /** The binder. */
        public BpfMetrics build() {
            return new BpfMetrics(this);
        }
    }
}
