package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.util.List;

/**
 * A BPF object loaded into the kernel: its maps, programs and the links made through it. Closing it closes every
 * link, program and map it created, exactly once.
 *
 * <pre>{@code
 * ObjectSpec spec = ObjectSpec.read("counter", bytes);
 * try (BpfObject obj = BpfObject.load(spec, LoadOptions.defaults())) {
 *     obj.attachAll();
 *     ...
 * }
 * }</pre>
 */
public final class BpfObject implements AutoCloseable {
    // TODO(loader helper): implement; the signatures are the contract the generated classes code against.

    private BpfObject() {}

    /**
     * Creates the object's maps, relocates and loads its programs.
     *
     * @throws BpfException (a subclass naming the map or program at fault) when the kernel refuses; nothing created
     *     so far is left open
     */
    public static BpfObject load(ObjectSpec spec, LoadOptions options) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The spec this object was loaded from. */
    public ObjectSpec spec() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The loaded program whose C function is {@code name}; a {@link BpfException} naming the known ones if none. */
    public BpfProgram program(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The loaded programs, in spec order. */
    public List<BpfProgram> programs() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The map named {@code name} (global data maps by section name, e.g. {@code .bss}). */
    public BpfMap map(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The maps, in spec order. */
    public List<BpfMap> maps() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The global variable named {@code name}, read and written through its data map. */
    public GlobalVariable variable(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Attaches every loaded program whose section says where (tracepoints, raw and BTF tracepoints, ...). The links
     * are owned by this object and closed with it.
     *
     * @return the new links
     */
    public List<BpfLink> attachAll() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Closes every link, program and map of this object. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
