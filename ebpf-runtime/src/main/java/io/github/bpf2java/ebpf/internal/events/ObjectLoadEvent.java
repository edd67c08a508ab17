package io.github.bpf2java.ebpf.internal.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An object loaded: maps created, programs verified and loaded. Its duration is the whole load. */
@Name("io.github.bpf2java.ObjectLoad")
@Label("BPF Object Load")
@Category("bpf2java")
@Description("A BPF object loaded into the kernel: maps created, programs verified and loaded")
@Enabled(false)
@StackTrace(false)
public final class ObjectLoadEvent extends Event {
    @Label("Object")
    public String object;

    @Label("Programs")
    @Description("Programs of the loaded object; 0 when the load failed")
    public int programs;

    @Label("Maps")
    @Description("Maps of the loaded object; 0 when the load failed (its MapCreate events show the maps created, "
            + "and closed again, before the failure)")
    public int maps;

    @Label("Verified Instructions")
    @Description("Instructions the verifier processed, summed over the programs (0 before Linux 5.16)")
    public long verifiedInstructions;

    @Label("Translated Size")
    @DataAmount
    @Description("Size of the programs after the verifier's rewrites, summed")
    public long translatedBytes;

    @Label("Succeeded")
    public boolean succeeded;

    @Label("Error")
    public String error;
}
