package io.github.bpf2java.ebpf.run;

import io.github.bpf2java.ebpf.codec.Codec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The input of one {@code BPF_PROG_TEST_RUN}: a packet ({@code data}), a context, how many runs, flags. Immutable;
 * build one with {@link #builder()} and run it with {@code BpfProgram.testRun(TestRun)}. Which parts a program type
 * accepts is listed in the {@linkplain io.github.bpf2java.ebpf.run package documentation}.
 *
 * <pre>{@code
 * TestRunResult result = program.testRun(TestRun.builder().data(frame).repeat(1000).build());
 * }</pre>
 */
public final class TestRun {
    /** The length of an Ethernet header: the least data an XDP or skb program (tc, socket filter) accepts. */
    public static final int ETH_HLEN = 14;
    /** The most context a raw tracepoint takes: 12 arguments of 8 bytes ({@code MAX_BPF_FUNC_ARGS}). */
    public static final int RAW_TRACEPOINT_MAX_CONTEXT = 12 * Long.BYTES;

    /** Flags of {@code BPF_PROG_TEST_RUN}. */
    public enum Flag {
        /** {@code BPF_F_TEST_RUN_ON_CPU}: run on {@link Builder#cpu(int)} (raw tracepoints only). */
        RUN_ON_CPU(1),
        /**
         * {@code BPF_F_TEST_XDP_LIVE_FRAMES}: XDP only (Linux 5.18+); frames the program redirects or transmits
         * really leave. Needs no data or context out; {@link Builder#batchSize(int)} sets the frames per batch.
         */
        XDP_LIVE_FRAMES(2);

        private final int bit;

        Flag(int bit) {
            this.bit = bit;
        }

        /** The UAPI bit. */
        public int bit() {
            return bit;
        }
    }

    private final byte[] data;
    private final int dataOutCapacity;
    private final byte[] context;
    private final int contextOutCapacity;
    private final int repeat;
    private final Set<Flag> flags;
    private final int cpu;
    private final int batchSize;

    private TestRun(Builder b) {
        this.data = b.data;
        // Live frames go out rather than back: the kernel refuses data out with them.
        boolean noDataOut = b.data == null || b.flags.contains(Flag.XDP_LIVE_FRAMES);
        this.dataOutCapacity = b.dataOutCapacity < 0 ? (noDataOut ? 0 : b.data.length) : b.dataOutCapacity;
        this.context = b.context;
        this.contextOutCapacity = b.contextOutCapacity;
        this.repeat = b.repeat;
        this.flags = b.flags.isEmpty() ? Set.of() : Set.copyOf(b.flags);
        this.cpu = b.cpu;
        this.batchSize = b.batchSize;
    }

    /** A new builder: no data, no context, one run, no flags. */
    public static Builder builder() {
        return new Builder();
    }

    /** One run on {@code frame}, with room for the frame as the program leaves it. */
    public static TestRun ofData(byte[] frame) {
        return builder().data(frame).build();
    }

    /** One run with {@code context} and no data (raw tracepoints, syscall programs). */
    public static TestRun ofContext(byte[] context) {
        return builder().context(context).build();
    }

    /** The packet ({@code data_in}), if any; a copy. */
    public Optional<byte[]> data() {
        return Optional.ofNullable(data).map(byte[]::clone);
    }

    /** Room for {@code data_out}; 0 for none. */
    public int dataOutCapacity() {
        return dataOutCapacity;
    }

    /** The context ({@code ctx_in}), if any; a copy. */
    public Optional<byte[]> context() {
        return Optional.ofNullable(context).map(byte[]::clone);
    }

    /** Room for {@code ctx_out}; 0 for none. */
    public int contextOutCapacity() {
        return contextOutCapacity;
    }

    /** {@code repeat}: how many runs; 0 lets the kernel run once (and is what raw tracepoints require). */
    public int repeat() {
        return repeat;
    }

    /** The flags. */
    public Set<Flag> flags() {
        return flags;
    }

    /** The flags as the UAPI bit set. */
    public int flagBits() {
        int bits = 0;
        for (Flag flag : flags) {
            bits |= flag.bit();
        }
        return bits;
    }

    /** The CPU for {@link Flag#RUN_ON_CPU}. */
    public int cpu() {
        return cpu;
    }

    /** {@code batch_size} for {@link Flag#XDP_LIVE_FRAMES}; 0 for the kernel's default (64). */
    public int batchSize() {
        return batchSize;
    }

    @Override
    public String toString() {
        return "TestRun[data " + (data == null ? "none" : data.length + " bytes") + ", data out "
                + dataOutCapacity + ", context " + (context == null ? "none" : context.length + " bytes")
                + ", context out " + contextOutCapacity + ", repeat " + repeat + ", flags " + flags + "]";
    }

    /** Builds a {@link TestRun}. */
    public static final class Builder {
        private byte[] data;
        private int dataOutCapacity = -1;
        private byte[] context;
        private int contextOutCapacity;
        private int repeat;
        private final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        private int cpu;
        private int batchSize;

        private Builder() {}

        /**
         * The packet the program sees ({@code data_in}); for XDP and skb programs at least {@link #ETH_HLEN}
         * bytes. Unless {@link #dataOutCapacity(int)} says otherwise, the result has room for the same length (none
         * with {@link Flag#XDP_LIVE_FRAMES}).
         */
        public Builder data(byte[] frame) {
            this.data = frame.clone();
            return this;
        }

        /**
         * Room for the packet as the program leaves it ({@code data_out}); 0 for none. A program that grows the
         * packet (bpf_xdp_adjust_head, bpf_skb_change_tail) needs more than the input's length, else the kernel
         * answers {@code ENOSPC}.
         */
        public Builder dataOutCapacity(int bytes) {
            this.dataOutCapacity = requireNonNegative(bytes, "data out capacity");
            return this;
        }

        /** The program's context ({@code ctx_in}) as raw bytes in the host's byte order. */
        public Builder context(byte[] context) {
            this.context = context.clone();
            return this;
        }

        /**
         * The program's context from a typed value: {@code codec} encodes {@code value} in the host's byte order.
         * Use it for a known context struct ({@code struct __sk_buff}, {@code struct xdp_md}, a syscall program's
         * argument struct, a raw tracepoint's {@code u64} arguments).
         */
        public <T> Builder context(Codec<T> codec, T value) {
            ByteBuffer buffer = ByteBuffer.allocate(codec.size()).order(ByteOrder.nativeOrder());
            codec.encode(value, buffer, 0);
            this.context = buffer.array();
            return this;
        }

        /** Room for the context as the program leaves it ({@code ctx_out}); 0 for none (the default). */
        public Builder contextOutCapacity(int bytes) {
            this.contextOutCapacity = requireNonNegative(bytes, "context out capacity");
            return this;
        }

        /** Room for the context out as one value of {@code codec}; read it with {@link TestRunResult#context(Codec)}. */
        public Builder contextOut(Codec<?> codec) {
            return contextOutCapacity(codec.size());
        }

        /** How many runs ({@code repeat}); the result's duration is the mean of one. Raw tracepoints refuse it. */
        public Builder repeat(int times) {
            this.repeat = requireNonNegative(times, "repeat");
            return this;
        }

        /** Adds a flag. */
        public Builder flag(Flag flag) {
            flags.add(flag);
            return this;
        }

        /** Runs on {@code cpu}: sets {@link Flag#RUN_ON_CPU} (raw tracepoints only). */
        public Builder cpu(int cpu) {
            this.cpu = requireNonNegative(cpu, "cpu");
            flags.add(Flag.RUN_ON_CPU);
            return this;
        }

        /** Frames per batch with {@link Flag#XDP_LIVE_FRAMES}. */
        public Builder batchSize(int frames) {
            this.batchSize = requireNonNegative(frames, "batch size");
            return this;
        }

        /** The test run. */
        public TestRun build() {
            return new TestRun(this);
        }

        private static int requireNonNegative(int value, String what) {
            if (value < 0) {
                throw new IllegalArgumentException(what + " must not be negative, was " + value);
            }
            return value;
        }
    }
}
