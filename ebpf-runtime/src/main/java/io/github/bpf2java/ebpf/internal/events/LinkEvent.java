package io.github.bpf2java.ebpf.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/** What an attach and a detach record alike: the link, its program and object. JFR records inherited fields. */
public abstract class LinkEvent extends Event {
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

    LinkEvent() {}

    /** Sets the fields and commits, when a recording takes this event. */
    public void commit(String object, String program, int linkId, String link) {
        if (shouldCommit()) {
            this.object = object;
            this.program = program;
            this.linkId = linkId;
            this.link = link;
            commit();
        }
    }
}
