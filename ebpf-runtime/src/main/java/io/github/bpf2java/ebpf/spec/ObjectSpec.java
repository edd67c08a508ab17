package io.github.bpf2java.ebpf.spec;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a BPF ELF object says, before anything is loaded: its programs, maps, global variables and types. Pure data,
 * read without any native call, so the build plugin and the loader share it.
 *
 * @param name          the object's name (usually the file name without {@code .o})
 * @param byteOrder     the byte order the object was compiled for
 * @param license       the contents of the {@code license} section, or the empty string
 * @param kernelVersion the contents of the legacy {@code version} section, or 0
 * @param programs      every program, in section then symbol order
 * @param functions     every function of every executable section, programs and subprograms alike, by name
 * @param maps          every map: BTF-defined, legacy {@code SEC("maps")}, and one per global data section
 * @param variables     every global variable in a data section, by section then offset
 * @param btf           the object's {@code .BTF}, if it has one ({@code .BTF.ext} is split per function)
 */
public record ObjectSpec(
        String name,
        ByteOrder byteOrder,
        String license,
        int kernelVersion,
        List<ProgramSpec> programs,
        Map<String, FunctionSpec> functions,
        List<MapSpec> maps,
        List<VariableSpec> variables,
        Optional<Btf> btf) {

    public ObjectSpec {
        programs = List.copyOf(programs);
        functions = Map.copyOf(functions);
        maps = List.copyOf(maps);
        variables = List.copyOf(variables);
    }

    /**
     * Reads an ELF object.
     *
     * <p>Any bytes are safe to read: the time taken is about linear in their size, memory a small multiple of it,
     * and an object past one of the documented limits (names over 1024 bytes, BTF names over 512, a data section
     * over 512 MiB; see {@code docs/reliability.md}) is refused with the limit named. {@code .bss} costs no memory
     * here, whatever its size.
     *
     * @param name  a name for messages and for the kernel objects' names
     * @param bytes the whole ELF file
     * @throws io.github.bpf2java.ebpf.error.ObjectFormatException if the bytes are not a well-formed BPF object, or exceed
     *     one of those limits; never another exception
     */
    public static ObjectSpec read(String name, byte[] bytes) {
        return new ObjectSpecReader(name, bytes).read();
    }

    /**
     * Reads the ELF object in {@code file}, as {@link #read(String, byte[])}, named as libbpf names it: after the
     * file, up to its first dot ({@code procwatch.bpf.o} is {@code procwatch}).
     *
     * @throws NotFoundException     when there is no such file, naming where it was looked for
     * @throws UncheckedIOException  when it cannot be read
     * @throws io.github.bpf2java.ebpf.error.ObjectFormatException if it is not a well-formed BPF object
     */
    public static ObjectSpec read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no BPF object at " + file.toAbsolutePath().normalize(), "read object",
                    Errno.ENOENT.number(), file.toString(), "build it first (clang -O2 -g -target bpf -c "
                            + "x.bpf.c -o x.bpf.o), or load it from the class path with EmbeddedObject");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the BPF object " + file, e);
        }
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        int dot = fileName.indexOf('.');
        return read(dot > 0 ? fileName.substring(0, dot) : fileName, bytes);
    }

    /** The program whose function is named {@code name}. */
    public Optional<ProgramSpec> program(String name) {
        return programs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The map named {@code name} (global data maps are named after their section, e.g. {@code .rodata}). */
    public Optional<MapSpec> map(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The global variable named {@code name}. */
    public Optional<VariableSpec> variable(String name) {
        return variables.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /**
     * One line for logs: the name, byte order, and the names of the programs, maps and variables, e.g.
     * {@code ObjectSpec[counter, little-endian, 1 program [count_execs], 2 maps [counts, .rodata], 1 variable
     * [target_pid], BTF]}. The instructions, relocations and line info are left out (tens of kilobytes for a small
     * object): read them through {@link #programs()}, {@link #functions()} and {@link #btf()}.
     */
    @Override
    public String toString() {
        return "ObjectSpec[" + name + ", " + (byteOrder == ByteOrder.LITTLE_ENDIAN ? "little" : "big") + "-endian, "
                + names(programs.stream().map(ProgramSpec::name).toList(), "program") + ", "
                + names(maps.stream().map(MapSpec::name).toList(), "map") + ", "
                + names(variables.stream().map(VariableSpec::name).toList(), "variable")
                + (btf.isPresent() ? ", BTF" : ", no BTF") + "]";
    }

    /** {@code 3 maps [a, b, c]}, the names cut after 16. */
    private static String names(List<String> names, String what) {
        int shown = Math.min(names.size(), 16);
        String list = String.join(", ", names.subList(0, shown))
                + (shown < names.size() ? ", ... " + (names.size() - shown) + " more" : "");
        return names.size() + " " + what + (names.size() == 1 ? "" : "s")
                + (names.isEmpty() ? "" : " [" + list + "]");
    }
}
