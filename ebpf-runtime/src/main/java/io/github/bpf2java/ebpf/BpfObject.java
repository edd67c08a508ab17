package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.internal.link.KernelLink;
import io.github.bpf2java.ebpf.internal.load.Closeables;
import io.github.bpf2java.ebpf.internal.load.LoadedObject;
import io.github.bpf2java.ebpf.internal.load.ObjectLoader;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A BPF object loaded into the kernel: its maps, programs and the links made through it. Closing it closes every
 * link, program and map it created, exactly once; using any of them afterwards fails.
 *
 * <pre>{@code
 * ObjectSpec spec = ObjectSpec.read("counter", bytes);
 * try (BpfObject obj = BpfObject.load(spec, LoadOptions.defaults())) {
 *     obj.attachAll();
 *     ...
 * }
 * }</pre>
 *
 * <p>Most users do not call this directly but through the class bpf2java generates for their C file, which names
 * each program, map and variable.
 */
public final class BpfObject implements AutoCloseable {
    private final ObjectSpec spec;
    private final LoadedObject kernelObjects;
    private final Map<String, BpfMap> maps = new LinkedHashMap<>();
    private final Map<String, BpfProgram> programs = new LinkedHashMap<>();
    private final Map<String, GlobalVariable> variables = new LinkedHashMap<>();
    private final Set<BpfLink> links = new LinkedHashSet<>();
    private boolean closed;

    private BpfObject(ObjectSpec spec, LoadOptions options, LoadedObject kernelObjects) {
        this.spec = spec;
        this.kernelObjects = kernelObjects;
        for (MapSpec map : spec.maps()) {
            maps.put(map.name(), new BpfMap(map, kernelObjects.maps().get(map.name())));
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
            variables.put(variable.name(), new GlobalVariable(variable, maps.get(variable.mapName())));
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
        LoadedObject loaded = ObjectLoader.load(spec, options.settings());
        try {
            return new BpfObject(spec, options, loaded);
        } catch (RuntimeException e) {
            loaded.close();
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
     * Attaches every loaded program whose section says where (tracepoints, raw and BTF tracepoints, fentry,
     * LSM, iterators). Programs that need a target only the caller knows (XDP, TC, cgroup, socket programs) are
     * left for the caller to attach. The links are owned by this object and closed with it.
     *
     * @return the new links; when one attachment fails, those made before it are closed again
     */
    public List<BpfLink> attachAll() {
        List<BpfLink> made = new ArrayList<>();
        try {
            for (BpfProgram program : programs.values()) {
                if (program.attachesBySection()) {
                    made.add(program.attach());
                }
            }
        } catch (RuntimeException e) {
            made.forEach(BpfLink::close);
            throw e;
        }
        return Collections.unmodifiableList(made);
    }

    /** Takes ownership of a new link; it forgets it again when the user closes it first. */
    synchronized BpfLink adopt(KernelLink link) {
        if (closed) {
            link.close();
            throw new IllegalStateException(spec.name() + " is closed");
        }
        OwnedLink owned = new OwnedLink(link);
        links.add(owned);
        return owned;
    }

    private synchronized void forget(BpfLink link) {
        links.remove(link);
    }

    /** Closes every link, program and map of this object; later calls do nothing. */
    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(links);
            Collections.reverse(toClose);
            links.clear();
        }
        // Mappings first: each lets go of its map at once, and buffers over it stay safe to touch.
        maps.values().forEach(map -> toClose.add(map::closeMemory));
        toClose.add(kernelObjects);
        Closeables.closeAll(toClose);
    }

    @Override
    public String toString() {
        return "BpfObject[" + spec.name() + ", " + programs.size() + " programs, " + maps.size() + " maps]";
    }

    /** A link that tells this object when the user closes it, so the object does not hold it any longer. */
    private final class OwnedLink implements BpfLink {
        private final KernelLink link;

        OwnedLink(KernelLink link) {
            this.link = link;
        }

        @Override
        public String description() {
            return link.description();
        }

        @Override
        public void close() {
            link.close();
            forget(this);
        }

        @Override
        public String toString() {
            return link.toString();
        }
    }
}
