package io.github.bpf2java.ebpf.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A program attached to a hook. */
@Name("io.github.bpf2java.Attach")
@Label("BPF Attach")
@Category("bpf2java")
@Description("A BPF program attached to a hook")
@Enabled(false)
@StackTrace(false)
public final class AttachEvent extends Event {
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
    @Description("What was attached where, as the link describes itself")
    public String link;
}
