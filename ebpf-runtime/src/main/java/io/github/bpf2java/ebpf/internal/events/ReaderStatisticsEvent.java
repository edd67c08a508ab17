package io.github.bpf2java.ebpf.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * What a ring or perf buffer reader handed out over its life, committed when it closes: a count per record would
 * cost the hot path, a total per reader costs nothing while it reads.
 */
@Name("io.github.bpf2java.ReaderStatistics")
@Label("BPF Reader Statistics")
@Category("bpf2java")
@Description("Records a ring or perf buffer reader handed out, and samples the kernel reported lost, from open to close")
@Enabled(false)
@StackTrace(false)
public final class ReaderStatisticsEvent extends Event {
    @Label("Reader")
    @Description("The reader, with the maps it read")
    public String reader;

    @Label("Records")
    @Description("Records or samples handed to the handlers")
    public long records;

    @Label("Lost")
    @Description("Samples the kernel reported lost (perf buffers; ring buffers report none)")
    public long lost;
}
