package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.link.ConcurrentClose;
import io.github.bpf2java.ebpf.internal.link.KernelLink;
import io.github.bpf2java.ebpf.internal.link.SectionTarget;
import io.github.bpf2java.ebpf.internal.link.StructOpsAttacher;
import io.github.bpf2java.ebpf.internal.load.Closeables;
import io.github.bpf2java.ebpf.internal.load.LoadedObject;
import io.github.bpf2java.ebpf.internal.load.LogOnce;
import io.github.bpf2java.ebpf.internal.load.ObjectLoader;
import io.github.bpf2java.ebpf.internal.load.StructOpsLayout;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.usdt.UsdtAttacher;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A BPF object loaded into the kernel: its maps, programs and the links made through it. Closing it closes every
 * link, program and map it created, exactly once; using any of them afterwards fails.
 *
 * <pre>{@code
 * ObjectSpec spec = ObjectSpec.read("counter", bytes);
 * try (BpfObject obj = BpfObject.load(spec, LoadOptions.defaults())) {
 *     obj.attachAll().requireComplete();
 *     ...
 * }
 * }</pre>
 *
 * <p>Most users do not call this directly but through the class bpf2java generates for their C file, which names
 * each program, map and variable.
 */
public final class BpfObject implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BpfObject.class.getName());

    private final ObjectSpec spec;
    private final LoadedObject kernelObjects;
    private final Map<String, BpfMap> maps = new LinkedHashMap<>();
    private final Map<String, BpfProgram> programs = new LinkedHashMap<>();
    private final Map<String, GlobalVariable> variables = new LinkedHashMap<>();
    private final Set<BpfLink> links = new LinkedHashSet<>();
    private UsdtAttacher usdt;
    private boolean closed;
    // Held for the whole of close(): a second caller returns only once the first has detached everything.
    private final Object closeLock = new Object();

    private BpfObject(ObjectSpec spec, LoadOptions options, LoadedObject kernelObjects) {
        this.spec = spec;
        this.kernelObjects = kernelObjects;
        for (MapSpec map : spec.maps()) {
            MapFd fd = kernelObjects.maps().get(map.name());
            if (fd != null) { // A struct_ops map none of the chosen programs implements is not created.
                // A map handed over with reuseMap keeps the pin it was opened from.
                Optional<Path> pinned = Optional.ofNullable(kernelObjects.pinPaths().get(map.name())).or(() ->
                        Optional.ofNullable(options.reusedMaps().get(map.name())).flatMap(BpfMap::pinPath));
                maps.put(map.name(), new BpfMap(map, fd, false, pinned));
            }
        }
        for (ProgramSpec program : spec.programs()) {
            Fd fd = kernelObjects.programs().get(program.name());
            if (fd != null) {
                ProgramType type = options.programTypes().getOrDefault(program.name(),
                        program.type().orElse(ProgramType.UNSPEC));
                programs.put(program.name(), new BpfProgram(this, program, type, fd));
            }
        }
        for (VariableSpec variable : spec.variables()) {
            variables.put(variable.name(),
                    new GlobalVariable(variable, maps.get(variable.mapName()), spec.name()));
        }
    }

    /**
     * Creates the object's maps, relocates and loads its programs.
     *
     * @throws BpfException (a subclass naming the map or program at fault: {@link VerifierException} with the
     *     verifier's log, {@link PermissionException} with what privilege is missing, ...) when the kernel
     *     refuses; nothing created so far is left open
     */
    public static BpfObject load(ObjectSpec spec, LoadOptions options) {
        var event = RuntimeEvents.beginLoad(); // Flight Recorder: io.github.bpf2java.ObjectLoad
        try {
            LoadedObject loaded = ObjectLoader.load(spec, options.settings());
            BpfObject object;
            try {
                object = new BpfObject(spec, options, loaded);
            } catch (RuntimeException e) {
                loaded.close();
                throw e;
            }
            RuntimeEvents.loaded(event, object);
            return object;
        } catch (RuntimeException e) {
            RuntimeEvents.loadFailed(event, spec.name(), e);
            throw e;
        }
    }

    /** Loads with {@link LoadOptions#defaults()}. */
    public static BpfObject load(ObjectSpec spec) {
        return load(spec, LoadOptions.defaults());
    }

    /** The spec this object was loaded from. */
    public ObjectSpec spec() {
        return spec;
    }

    /**
     * The loaded program whose C function is {@code name}.
     *
     * @throws BpfException naming the programs there are, when there is none (or it was not selected for loading)
     */
    public BpfProgram program(String name) {
        BpfProgram program = programs.get(name);
        if (program == null) {
            String why = spec.program(name).isPresent() ? " was not loaded (LoadOptions.programs left it out)"
                    : " is not a program of " + spec.name();
            throw new BpfException("'" + name + "'" + why, "loaded programs: " + programs.keySet(), null);
        }
        return program;
    }

    /** The loaded programs, in spec order. */
    public List<BpfProgram> programs() {
        return List.copyOf(programs.values());
    }

    /**
     * The links of this object's programs that are open now, in the order they were made: by {@link #attachAll()},
     * the generated class's {@code attach()} or a program's attach methods, less those closed since. A snapshot; the
     * links stay owned by this object, which closes them with itself. Empty once the object is closed.
     */
    public synchronized List<BpfLink> links() {
        return List.copyOf(links);
    }

    /**
     * The map named {@code name}: the C variable of a map definition, or the section of global data
     * ({@code .bss}, {@code .data}, {@code .rodata}, ...).
     */
    public BpfMap map(String name) {
        BpfMap map = maps.get(name);
        if (map == null) {
            throw new BpfException(spec.name() + " has no map '" + name + "'", "its maps: " + maps.keySet(), null);
        }
        return map;
    }

    /** The maps, in spec order. */
    public List<BpfMap> maps() {
        return List.copyOf(maps.values());
    }

    /** The global variable named {@code name}, read and written through its data map's memory mapping. */
    public GlobalVariable variable(String name) {
        GlobalVariable variable = variables.get(name);
        if (variable == null) {
            throw new BpfException(spec.name() + " has no global variable '" + name + "'",
                    "its variables: " + variables.keySet(), null);
        }
        return variable;
    }

    /**
     * Attaches every loaded program whose section says where it goes, in libbpf's conventions (tracepoints, raw and
     * BTF tracepoints, fentry/fexit, LSM, iterators, {@code kprobe/<function>}, {@code ksyscall/<name>},
     * {@code uprobe/<binary>:<function>}, {@code usdt/<binary>:<provider>:<name>}, ...; see
     * {@link BpfProgram#attach()}). Programs whose section leaves the target open (XDP needs an interface, a bare
     * {@code SEC("uprobe")} a binary) are not attached but listed in the report, each with the method that attaches
     * it, and logged; none is skipped silently. {@link AttachReport#requireComplete()} turns them into an error.
     * The links are owned by this object and closed with it.
     *
     * @throws BpfException when a program whose section says where cannot be attached there (the kernel lacks
     *     kprobes, the binary has no such function, ...); the links made before it are closed again
     */
    public AttachReport attachAll() {
        List<BpfLink> made = new ArrayList<>();
        List<AttachReport.Unattached> left = new ArrayList<>();
        // Programs a prog array of the object holds from the start run when another program jumps to them: told
        // apart in the report, where "needs a tracepoint" would send the user the wrong way.
        Map<String, String> tailCallSlots = new HashMap<>();
        for (MapSpec map : spec.maps()) {
            if (map.type() == MapType.PROG_ARRAY) {
                map.initialSlots().forEach(slot -> tailCallSlots.putIfAbsent(slot.targetName(),
                        "slot " + slot.index() + " of program array '" + map.name() + "'"));
            }
        }
        Map<String, BpfProgram> onEvent = new HashMap<>();
        try {
            for (BpfProgram program : programs.values()) {
                SectionTarget target = SectionTarget.of(program.spec());
                warnIfEventTaken(onEvent, program, target);
                String slot = tailCallSlots.get(program.name());
                if (target instanceof SectionTarget.Manual && slot != null) {
                    left.add(new AttachReport.Unattached(program, "is a tail-call target (" + slot + "): it runs "
                            + "when a program jumps to it, and needs no attaching", "", false));
                } else if (target instanceof SectionTarget.Manual manual) {
                    left.add(new AttachReport.Unattached(program, manual.reason(), manual.howTo(),
                            program.type() != ProgramType.SYSCALL));
                } else if (target instanceof SectionTarget.Invalid invalid) {
                    throw SectionTarget.refusal(program.spec(), invalid);
                } else {
                    made.add(program.attach());
                }
            }
        } catch (RuntimeException e) {
            try {
                ConcurrentClose.closeAll(made);
            } catch (RuntimeException | Error undoing) {
                e.addSuppressed(undoing);
            }
            throw e;
        }
        AttachReport report = new AttachReport(spec.name(), made, left);
        if (!left.isEmpty()) {
            String message = spec.name() + ": attached " + made.size() + " of " + programs.size() + " programs; "
                    + left.stream().map(AttachReport.Unattached::message)
                            .collect(java.util.stream.Collectors.joining("; "));
            LOG.log(LogOnce.level(System.Logger.Level.INFO, message), message);
        }
        return report;
    }

    /**
     * Warns when a second program attaches to an event a first one already runs on: objects written for libbpf
     * often carry alternatives for one event (libbpf-tools' {@code tp_btf/} and {@code raw_tp/} versions of each
     * program), of which the tool loads one set; attaching both handles every event twice, silently.
     */
    private void warnIfEventTaken(Map<String, BpfProgram> onEvent, BpfProgram program, SectionTarget target) {
        target.event().ifPresent(event -> {
            BpfProgram first = onEvent.putIfAbsent(event, program);
            if (first != null) {
                String message = spec.name() + ": programs '" + first.name() + "' (section '"
                        + first.sectionName() + "') and '" + program.name() + "' (section '" + program.sectionName()
                        + "') both run on " + event
                        + ", so each event is handled twice; if they are alternatives of one another, load one of "
                        + "them (LoadOptions.builder().programs(...), or the generated class's "
                        + "configure(b -> b.programs(...)))";
                LOG.log(LogOnce.level(System.Logger.Level.WARNING, message), message);
            }
        });
    }

    /**
     * Registers the struct_ops map {@code mapName} with the kernel (e.g. a TCP congestion control, selectable by its
     * name once registered): its function pointers filled with this object's programs. A map of section
     * {@code .struct_ops.link} is registered through a {@code bpf_link}; one of {@code .struct_ops} by writing its
     * value. Closing the returned link unregisters it.
     *
     * @throws io.github.bpf2java.ebpf.error.BusyException when the kernel has a struct_ops of that name already
     */
    public BpfLink attachStructOps(String mapName) {
        map(mapName);
        StructOpsLayout layout = kernelObjects.structOps().get(mapName);
        if (layout == null) {
            throw new BpfException("map '" + mapName + "' of " + spec.name() + " is not a loaded struct_ops map",
                    "its struct_ops maps: " + kernelObjects.structOps().keySet(), null);
        }
        return adopt(StructOpsAttacher.register(maps.get(mapName).handle(), layout, kernelObjects.programs()));
    }

    /** Takes ownership of a new link; it forgets it again when the user closes it first. */
    BpfLink adopt(KernelLink link) {
        return adopt("", link);
    }

    /** Takes ownership of a new link of {@code program} (its name). */
    synchronized BpfLink adopt(String program, KernelLink link) {
        if (closed) {
            link.close();
            throw new IllegalStateException(spec.name() + " is closed");
        }
        int linkId = RuntimeEvents.linkId(link); // for the Flight Recorder events, which match on it
        AtomicBoolean attached = new AtomicBoolean(true); // close() may run twice; report the detach once
        BpfLink owned = new BpfLink(link, closing -> {
            if (attached.getAndSet(false)) {
                RuntimeEvents.detached(spec.name(), program, linkId, closing.description()); // ...Detach
            }
            forget(closing);
        });
        links.add(owned);
        RuntimeEvents.attached(spec.name(), program, linkId, owned); // Flight Recorder: io.github.bpf2java.Attach
        return owned;
    }

    private synchronized void forget(BpfLink link) {
        links.remove(link);
    }

    /** Whether program {@code name} was loaded for uprobe.multi links (a {@code SEC("usdt")} program). */
    boolean loadedForUprobeMulti(String name) {
        return kernelObjects.uprobeMulti().contains(name);
    }

    /** The USDT support of this object ({@code usdt.bpf.h}'s maps), made on first use. */
    synchronized UsdtAttacher usdt() {
        if (closed) {
            throw new IllegalStateException(spec.name() + " is closed");
        }
        if (usdt == null) {
            usdt = new UsdtAttacher(spec, kernelObjects.maps());
        }
        return usdt;
    }

    /**
     * Closes every link, program and map of this object; later calls do nothing. A call made while another thread is
     * closing the object returns when that close has finished, so the programs are detached whichever call returns.
     * What the caller opened on them stays the caller's to close, and keeps what it needs in the kernel until then:
     * an iterator stream ({@link BpfLink#openIterator()}) keeps its program loaded, a reader or producer its map.
     * Each link closes as {@link BpfLink#close()} says: a legacy cgroup attachment that is gone already (replaced,
     * or detached from outside) is not an error.
     *
     * @throws io.github.bpf2java.ebpf.error.KernelException when the kernel refuses to detach a link, after everything
     *     else is closed (the first failure, with later ones suppressed)
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            List<BpfLink> ownLinks;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                ownLinks = new ArrayList<>(links);
                Collections.reverse(ownLinks);
                links.clear();
            }
            List<AutoCloseable> toClose = new ArrayList<>();
            // Two at a time: a perf event's link waits for the kernel's RCU for tens of milliseconds.
            toClose.add(() -> ConcurrentClose.closeAll(ownLinks));
            // Mappings next: each lets go of its map at once, and buffers over it stay safe to touch.
            maps.values().forEach(map -> toClose.add(map::closeMemory));
            toClose.add(kernelObjects);
            Closeables.closeAll(toClose);
        }
    }

    @Override
    public String toString() {
        return "BpfObject[" + spec.name() + ", " + programs.size() + " programs, " + maps.size() + " maps]";
    }
}
