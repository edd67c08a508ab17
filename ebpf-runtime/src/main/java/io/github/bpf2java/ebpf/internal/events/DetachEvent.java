package io.github.bpf2java.ebpf.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A link closed: the program detached from its hook. */
@Name("io.github.bpf2java.Detach")
@Label("BPF Detach")
@Category("bpf2java")
@Description("A BPF program detached from a hook (its link closed)")
@Enabled(false)
@StackTrace(false)
public final class DetachEvent extends Event {
    @Label("Object")
    public String object;

    @Label("Program")
    @Description("The program's name; empty for a struct_ops map's registration")
    public String program;

    @Label("Link Id")
    @Description("The bpf_link's id, as bpftool link show lists it; 0 for an attachment without one (legacy tc, "
            + "netlink XDP, USDT, BPF_PROG_ATTACH)")
    public int linkId;

    @Label("Link")
    public String link;
}
