package io.github.bpf2java.ebpf.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
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
public final class AttachEvent extends LinkEvent {}
