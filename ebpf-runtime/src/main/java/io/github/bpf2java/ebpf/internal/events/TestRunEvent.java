package io.github.bpf2java.ebpf.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A {@code BPF_PROG_TEST_RUN}. */
@Name("io.github.bpf2java.TestRun")
@Label("BPF Test Run")
@Category("bpf2java")
@Description("A BPF program run on test input (BPF_PROG_TEST_RUN)")
@Enabled(false)
@StackTrace(false)
public final class TestRunEvent extends Event {
    @Label("Program")
    public String program;

    @Label("Repeat")
    public int repeat;

    @Label("Return Value")
    public int returnValue;

    @Label("Mean Run Time")
    @Timespan(Timespan.NANOSECONDS)
    public long meanRunTime;
}
