package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.internal.host.MemoryMap;
import io.github.bpf2java.ebpf.internal.syscall.DynamicSymbols;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where an indirect function ({@code STT_GNU_IFUNC}, such as libc's {@code strlen}) has its code on this machine.
 * Its symbol's address is a resolver's, which the dynamic linker calls once per process to choose an implementation
 * for the CPU ({@code __strlen_avx2}); every process on one machine chooses alike. When this process maps the very
 * same file (the C library always is), asking its dynamic linker for the symbol ({@code dlsym}, which runs the
 * resolver) gives the chosen implementation's address, and the memory map gives its file offset, where a uprobe
 * sees the calls.
 *
 * <p>Internal: part of the attach layer, not of the stable API.
 */
public final class IndirectFunctions {
    private IndirectFunctions() {}

    /**
     * The file offset in {@code library} of the code its indirect function {@code name} resolves to here; empty when
     * this process does not map that file (another copy, a container's), or the symbol does not resolve into it.
     */
    public static OptionalLong implementationOffset(Path library, String name) {
        try {
            Object wanted = fileKey(library);
            MemoryMap self = MemoryMap.of("self");
            String mapped = null;
            for (MemoryMap.Region region : self.regions()) {
                if (region.hasFile() && Objects.equals(wanted, fileKey(Path.of(region.path())))) {
                    mapped = region.path();
                    break;
                }
            }
            if (mapped == null) {
                return OptionalLong.empty();
            }
            // The file is loaded already: this finds its handle, loads nothing, and runs the resolver in dlsym.
            OptionalLong address = DynamicSymbols.address(mapped, name);
            if (address.isEmpty()) {
                return OptionalLong.empty();
            }
            String file = mapped;
            return self.regionOf(address.getAsLong()).filter(r -> r.path().equals(file))
                    .map(r -> OptionalLong.of(r.fileOffsetOf(address.getAsLong()))).orElse(OptionalLong.empty());
        } catch (IOException | RuntimeException unresolved) {
            return OptionalLong.empty(); // the caller refuses the function, saying why
        }
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }
}
