package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel objects {@link ObjectLoader} created for one BPF object, in spec order. Whoever holds it owns every
 * descriptor in it.
 *
 * @param btf      the object's BTF, when it has one
 * @param maps     every map, by spec name
 * @param programs  every loaded program, by function name
 * @param structOps how each struct_ops map meets the kernel's structure, by map name, for registering it
 * @param pinPaths  where maps declared {@code LIBBPF_PIN_BY_NAME} are pinned (by this load or an earlier one)
 * @param uprobeMulti the {@code SEC("usdt")} programs loaded for uprobe.multi links ({@code
 *                    BPF_TRACE_UPROBE_MULTI}), which attach through those only
 */
public record LoadedObject(Optional<Fd> btf, Map<String, MapFd> maps, Map<String, Fd> programs,
        Map<String, StructOpsLayout> structOps, Map<String, Path> pinPaths, Set<String> uprobeMulti)
        implements AutoCloseable {

    public LoadedObject {
        maps = Collections.unmodifiableMap(new LinkedHashMap<>(maps));
        programs = Collections.unmodifiableMap(new LinkedHashMap<>(programs));
        structOps = Collections.unmodifiableMap(new LinkedHashMap<>(structOps));
        pinPaths = Collections.unmodifiableMap(new LinkedHashMap<>(pinPaths));
        uprobeMulti = Set.copyOf(uprobeMulti);
    }

    /** Objects without struct_ops maps or pins. */
    public LoadedObject(Optional<Fd> btf, Map<String, MapFd> maps, Map<String, Fd> programs) {
        this(btf, maps, programs, Map.of(), Map.of(), Set.of());
    }

    /** Closes programs, then maps, then the BTF, each once. */
    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(programs.values());
        all.addAll(maps.values());
        btf.ifPresent(all::add);
        Closeables.closeAll(all);
    }
}
