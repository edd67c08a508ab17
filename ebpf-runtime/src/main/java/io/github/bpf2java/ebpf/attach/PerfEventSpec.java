package io.github.bpf2java.ebpf.attach;

import java.util.Objects;

/**
 * A sampling perf event a {@code perf_event} program runs on: a software or hardware event, sampled every
 * {@code n} events ({@link #samplePeriod}) or {@code n} times a second ({@link #sampleFrequency}), for every process
 * on a CPU or for one process. Immutable.
 *
 * <pre>{@code
 * program.attachPerfEvent(PerfEventSpec.software(SoftwareEvent.CPU_CLOCK).sampleFrequency(99), cpu);
 * }</pre>
 */
public final class PerfEventSpec {
    private final boolean hardware;
    private final long config;
    private final String eventName;
    private final long period;
    private final boolean frequency;
    private final int pid;

    private PerfEventSpec(boolean hardware, long config, String eventName, long period, boolean frequency, int pid) {
        this.hardware = hardware;
        this.config = config;
        this.eventName = eventName;
        this.period = period;
        this.frequency = frequency;
        this.pid = pid;
    }

    /**
     * The clocks' and the hardware events' sampling frequency unless one is set: a profiler's usual rate, off the
     * timer tick's.
     */
    public static final long DEFAULT_CLOCK_FREQUENCY = 99;

    /**
     * A software event, sampled at every event, or for the clocks ({@link SoftwareEvent#CPU_CLOCK},
     * {@link SoftwareEvent#TASK_CLOCK}), whose events are nanoseconds, {@value #DEFAULT_CLOCK_FREQUENCY} times a
     * second, until {@link #samplePeriod} or {@link #sampleFrequency} says else.
     */
    public static PerfEventSpec software(SoftwareEvent event) {
        Objects.requireNonNull(event, "event");
        boolean clock = event == SoftwareEvent.CPU_CLOCK || event == SoftwareEvent.TASK_CLOCK;
        return new PerfEventSpec(false, event.config(), event.name(), clock ? DEFAULT_CLOCK_FREQUENCY : 1, clock,
                -1);
    }

    /**
     * A hardware event (CPU cycles, instructions, ...), which virtual machines often lack, sampled
     * {@value #DEFAULT_CLOCK_FREQUENCY} times a second (the kernel adjusts the period to the event's rate; a sample
     * per event would be one per cycle) until {@link #samplePeriod} or {@link #sampleFrequency} says else.
     */
    public static PerfEventSpec hardware(HardwareEvent event) {
        Objects.requireNonNull(event, "event");
        return new PerfEventSpec(true, event.config(), event.name(), DEFAULT_CLOCK_FREQUENCY, true, -1);
    }

    /** Runs the program every {@code events} events (for the clocks: every {@code events} nanoseconds). */
    public PerfEventSpec samplePeriod(long events) {
        if (events <= 0) {
            throw new IllegalArgumentException("sample period must be positive: " + events);
        }
        return new PerfEventSpec(hardware, config, eventName, events, false, pid);
    }

    /**
     * Runs the program about {@code perSecond} times a second; the kernel adjusts the period. The kernel refuses
     * more than {@code kernel.perf_event_max_sample_rate} (100000 by default, lowered by the kernel when sampling
     * takes too long).
     */
    public PerfEventSpec sampleFrequency(long perSecond) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("sample frequency must be positive: " + perSecond);
        }
        return new PerfEventSpec(hardware, config, eventName, perSecond, true, pid);
    }

    /**
     * Only while the thread {@code pid} runs (then the CPU may be -1 for any CPU); the default, -1, is every thread.
     * It is one thread, as {@code perf_event_open(2)} takes it, and threads it starts later are not followed: a
     * JVM's process id names its launcher thread, which sits idle while Java's threads run. To sample a whole
     * process, keep -1 on every CPU ({@code BpfProgram.attachPerfEventOnEveryCpu}) and compare
     * {@code bpf_get_current_pid_tgid() >> 32} with its process id in the program.
     */
    public PerfEventSpec pid(int pid) {
        if (pid == 0 || pid < -1) {
            throw new IllegalArgumentException("pid must be a thread id or -1 for every thread: " + pid);
        }
        return new PerfEventSpec(hardware, config, eventName, period, frequency, pid);
    }

    /** Whether it is a hardware event ({@code PERF_TYPE_HARDWARE}) rather than a software one. */
    public boolean hardware() {
        return hardware;
    }

    /** The event's {@code config}. */
    public long config() {
        return config;
    }

    /** The sample period, or the frequency when {@link #isFrequency()}. */
    public long periodOrFrequency() {
        return period;
    }

    /** Whether {@link #periodOrFrequency()} is a frequency. */
    public boolean isFrequency() {
        return frequency;
    }

    /** The thread, or -1 for every thread. */
    public int pid() {
        return pid;
    }

    @Override
    public String toString() {
        return (hardware ? "hardware " : "software ") + eventName.toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + (frequency ? " at " + period + " Hz" : " every " + period)
                + (pid > 0 ? " of pid " + pid : "");
    }
}
