package io.github.bpf2java.ebpf.linker;

import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.linker.ObjectLinker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Links relocatable BPF objects, each compiled by clang from one C file, into one object that loads like an object
 * compiled from a single file, as libbpf's static linker ({@code bpftool gen object out.o a.o b.o}) does:
 * <ul>
 *   <li>sections of the same name (program sections, {@code .text}, {@code .data}, {@code .rodata}, {@code .bss},
 *       {@code .maps}, {@code license}) are concatenated in input order;</li>
 *   <li>a global function, variable or map declared {@code extern} in one file resolves to the file that defines it;
 *       a strong definition wins over a {@code __weak} one; two strong definitions of one name are an error;
 *       {@code static} functions and variables stay apart even when two files use the same name;</li>
 *   <li>relocations follow their code, and BTF and {@code .BTF.ext} (function and line info, CO-RE relocations) are
 *       merged, with equal types stored once.</li>
 * </ul>
 * The output depends only on the inputs and their order: linking the same files again gives the same bytes.
 *
 * <pre>{@code
 * StaticLinker.link(List.of(Path.of("main.o"), Path.of("helpers.o")), Path.of("tracer.o"));
 * }</pre>
 */
public final class StaticLinker {
    private StaticLinker() {}

    /**
     * Links object files into {@code output}.
     *
     * @param inputs the objects, in link order (their sections appear in this order)
     * @throws ObjectFormatException when an input is not a BPF object, the inputs differ in byte order, or a symbol
     *     is defined twice
     * @throws IOException           when a file cannot be read or written
     */
    public static void link(List<Path> inputs, Path output) throws IOException {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (Path input : inputs) {
            objects.put(input.toString(), Files.readAllBytes(input));
        }
        byte[] linked = ObjectLinker.link(objects);
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(output, linked);
    }

    /**
     * Links objects held in memory.
     *
     * @param inputs the objects by a name used in error messages, in link order
     * @return the linked object's bytes
     * @throws ObjectFormatException as {@link #link(List, Path)}
     */
    public static byte[] link(Map<String, byte[]> inputs) {
        return ObjectLinker.link(inputs);
    }
}
