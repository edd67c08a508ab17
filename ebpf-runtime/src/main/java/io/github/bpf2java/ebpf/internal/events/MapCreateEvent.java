package io.github.bpf2java.ebpf.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A map created in the kernel ({@code BPF_MAP_CREATE}). */
@Name("io.github.bpf2java.MapCreate")
@Label("BPF Map Create")
@Category("bpf2java")
@Description("A BPF map created in the kernel")
@Enabled(false)
@StackTrace(false)
public final class MapCreateEvent extends Event {
    @Label("Map")
    public String map;

    @Label("Kernel Name")
    @Description("The name the kernel shows (bpftool map show): the object's name before a data section's")
    public String kernelName;

    @Label("Map Id")
    @Description("The kernel's id of the map (bpftool map show id <id>)")
    public int mapId;

    @Label("Type")
    public String type;

    @Label("Key Size")
    public int keySize;

    @Label("Value Size")
    public int valueSize;

    @Label("Max Entries")
    public int maxEntries;
}
