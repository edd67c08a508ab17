package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.bpf.TestRunRequest;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.run.TestRunResult;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.util.Arrays;

/** Turns the public {@link TestRun} into the syscall layer's request and its answer into a {@link TestRunResult}. */
final class ProgramTestRuns {
    private ProgramTestRuns() {}

    static TestRunResult run(Fd program, ProgramType type, TestRun run) {
        var event = RuntimeEvents.beginTestRun();
        // A syscall program's context comes back in ctx_in (the kernel refuses ctx_out): asking for context out
        // means reading it from there.
        boolean inPlace = type == ProgramType.SYSCALL && run.contextOutCapacity() > 0 && run.context().isPresent()
                && run.data().isEmpty() && run.repeat() == 0 && run.flagBits() == 0;
        var result = inPlace ? Programs.testRunSyscall(program, run.context().get())
                : Programs.testRun(program, new TestRunRequest(run.data(), run.dataOutCapacity(), run.context(),
                        run.contextOutCapacity(), run.repeat(), run.flagBits(), run.cpu(), run.batchSize()),
                        type.name());
        byte[] contextOut = inPlace ? Arrays.copyOf(result.contextOut(),
                Math.min(result.contextOut().length, run.contextOutCapacity())) : result.contextOut();
        RuntimeEvents.testRan(event, program, run, result.returnValue(), result.meanDurationNs());
        return new TestRunResult(type, result.returnValue(), result.meanDurationNs(), result.dataOut(), contextOut);
    }
}
