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
    /** {@code MAX_BPF_FUNC_ARGS}: the most arguments a raw tracepoint's test run passes. */
    private static final int MAX_RAW_TRACEPOINT_ARGUMENTS = 12;

    private ProgramTestRuns() {}

    static TestRunResult run(Fd program, ProgramType type, TestRun run) {
        checkInput(type, run);
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

    /**
     * Refuses, before the kernel's bare {@code EINVAL}, input the kernel's rules for {@code type} never take (the
     * table in {@link io.github.bpf2java.ebpf.run}).
     */
    private static void checkInput(ProgramType type, TestRun run) {
        boolean rawTracepoint = type == ProgramType.RAW_TRACEPOINT || type == ProgramType.RAW_TRACEPOINT_WRITABLE;
        if (run.flags().contains(TestRun.Flag.RUN_ON_CPU) && !rawTracepoint) {
            throw new IllegalArgumentException("the test run of a program of type " + type + " runs on the calling "
                    + "thread's CPU: only raw tracepoint programs take cpu(...)");
        }
        if (!rawTracepoint) {
            return;
        }
        String rule = "a raw tracepoint program's test run takes the tracepoint's arguments as its context, up to "
                + MAX_RAW_TRACEPOINT_ARGUMENTS + " u64 values, and nothing else: ";
        if (run.data().isPresent() || run.dataOutCapacity() > 0) {
            throw new IllegalArgumentException(rule + "no data (the arguments go in context(...))");
        }
        if (run.repeat() != 0 || run.batchSize() != 0 || run.contextOutCapacity() > 0) {
            throw new IllegalArgumentException(rule + "no repeat (leave it 0), batch size or context out (it runs "
                    + "once, and the program's return value is all that comes back)");
        }
        int length = run.context().map(c -> c.length).orElse(0);
        if (length % Long.BYTES != 0 || length > MAX_RAW_TRACEPOINT_ARGUMENTS * Long.BYTES) {
            throw new IllegalArgumentException(rule + "a context of " + length + " bytes is not that (a multiple of "
                    + Long.BYTES + ", at most " + MAX_RAW_TRACEPOINT_ARGUMENTS * Long.BYTES + " bytes)");
        }
    }
}
