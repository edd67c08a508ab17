package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.bpf.TestRunRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/** Runs loaded programs on test input through {@code BPF_PROG_TEST_RUN}, for tests that check what they return. */
final class TestRuns {
    /** {@code BPF_F_TEST_RUN_ON_CPU}. */
    private static final int ON_CPU = 1;
    /** A raw tracepoint's context: up to 12 arguments; the fixtures read 4. */
    private static final int RAW_TP_ARGS = 4;

    private TestRuns() {}

    /** What {@code program} (XDP, TC, socket filter) returns for a zeroed 64-byte packet. */
    static int packetVerdict(BpfProgram program) {
        return Programs.testRun(program.handle(), TestRunRequest.packet(new byte[64])).returnValue();
    }

    /** Runs a raw tracepoint program once with {@code args} as its arguments; what it returned. */
    static int rawTracepoint(BpfProgram program, long... args) {
        return Programs.testRun(program.handle(), new TestRunRequest(Optional.empty(), 0, Optional.of(context(args)),
                0, 0, 0, 0, 0)).returnValue();
    }

    /** Runs a raw tracepoint program once on {@code cpu} with {@code args}; what it returned. */
    static int rawTracepointOnCpu(BpfProgram program, int cpu, long... args) {
        return Programs.testRun(program.handle(), new TestRunRequest(Optional.empty(), 0, Optional.of(context(args)),
                0, 0, ON_CPU, cpu, 0)).returnValue();
    }

    private static byte[] context(long... args) {
        ByteBuffer b = ByteBuffer.allocate(Long.BYTES * Math.max(RAW_TP_ARGS, args.length))
                .order(ByteOrder.nativeOrder());
        for (int i = 0; i < args.length; i++) {
            b.putLong(i * Long.BYTES, args[i]);
        }
        return b.array();
    }
}
