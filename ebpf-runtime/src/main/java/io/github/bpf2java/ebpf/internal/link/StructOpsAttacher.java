package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.bpf.LinkCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.LinkParameters;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.load.StructOpsLayout;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.spec.AttachType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Registers a struct_ops map with the kernel: writes its one value (the structure with each function pointer slot
 * holding the descriptor of the program that implements it), which for a {@code .struct_ops} map registers it at
 * once and for a {@code .struct_ops.link} map readies it for the {@code bpf_link} that then registers it
 * ({@code BPF_LINK_CREATE} with {@code BPF_STRUCT_OPS}, Linux 6.4+). Closing unregisters: the link is closed, or
 * the value deleted.
 */
public final class StructOpsAttacher {
    private StructOpsAttacher() {}

    /**
     * Registers {@code map}.
     *
     * @param programs the object's loaded programs, by name
     */
    @SuppressWarnings("try") // resources held open for the block, not used in it
    public static KernelLink register(MapFd map, StructOpsLayout layout, Map<String, Fd> programs) {
        String description = "struct_ops " + layout.structName() + " '" + layout.mapName() + "'";
        List<Fd.Held> held = new ArrayList<>();
        try {
            ByteBuffer value = ByteBuffer.wrap(layout.template()).order(ByteOrder.nativeOrder());
            for (Map.Entry<Integer, String> slot : layout.programSlots().entrySet()) {
                Fd program = programs.get(slot.getValue());
                if (program == null) {
                    throw new BpfException(description + " needs program '" + slot.getValue() + "', which was not "
                            + "loaded", "load it with the object (LoadOptions.programs left it out)", null);
                }
                Fd.Held h = program.hold();
                held.add(h);
                // The kernel reads each slot as a program descriptor in an unsigned long.
                value.putLong(slot.getKey(), h.raw());
            }
            try {
                map.update(new byte[4], value.array(), 0);
            } catch (KernelException e) {
                throw explain(e, description);
            }
        } finally {
            held.forEach(Fd.Held::close);
        }
        if (!layout.registeredByLink()) {
            return new KernelLink(description, List.of(), () -> map.delete(new byte[4]));
        }
        try (Fd.Held target = map.fd().hold()) {
            // BPF_LINK_CREATE takes the map in the program's place (link_create.map_fd shares prog_fd's slot).
            return new KernelLink(description, List.of(Links.create(new LinkCreateRequest(map.fd(), 0, description,
                    AttachType.STRUCT_OPS, 0, new LinkParameters.None()))));
        } catch (KernelException e) {
            throw explain(e, description);
        }
    }

    private static KernelException explain(KernelException e, String description) {
        String hint = Errno.EEXIST.is(e.errno()) ? "a struct_ops of the same name is registered already (e.g. a "
                + "congestion control named like .name); unregister it or choose another name"
                : Errno.EBUSY.is(e.errno()) ? "this map was registered before; a struct_ops map registers once"
                : Errno.EINVAL.is(e.errno()) ? "the kernel refused the structure: a required member may be unset, "
                        + "or a program implements a member of another type" : null;
        if (hint == null) {
            return e;
        }
        // The same exception type (a BusyException for EEXIST and EBUSY), with the hint.
        KernelException explained = KernelErrors.withHint(e, hint);
        explained.setStackTrace(e.getStackTrace());
        return explained;
    }
}
