package io.github.bpf2java.ebpf.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
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
public final class DetachEvent extends LinkEvent {}
