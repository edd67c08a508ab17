package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.bpf.TestRunRequest;

/** Runs loaded programs on test input through {@code BPF_PROG_TEST_RUN}, for tests that check what they return. */
final class TestRuns {
    private TestRuns() {}

    /** What {@code program} (XDP, TC, socket filter) returns for a zeroed 64-byte packet. */
    static int packetVerdict(BpfProgram program) {
        return Programs.testRun(program.handle(), TestRunRequest.packet(new byte[64])).returnValue();
    }
}
