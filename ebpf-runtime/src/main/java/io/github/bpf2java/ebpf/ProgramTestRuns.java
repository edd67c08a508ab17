package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.bpf.TestRunRequest;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.run.TestRunResult;

/** Turns the public {@link TestRun} into the syscall layer's request and its answer into a {@link TestRunResult}. */
final class ProgramTestRuns {
    private ProgramTestRuns() {}

    static TestRunResult run(Fd program, TestRun run) {
        var event = RuntimeEvents.beginTestRun();
        var result = Programs.testRun(program, new TestRunRequest(run.data(), run.dataOutCapacity(), run.context(),
                run.contextOutCapacity(), run.repeat(), run.flagBits(), run.cpu(), run.batchSize()));
        RuntimeEvents.testRan(event, program, run, result.returnValue(), result.meanDurationNs());
        return new TestRunResult(result.returnValue(), result.meanDurationNs(), result.dataOut(),
                result.contextOut());
    }
}
