package io.github.bpf2java.ebpf.spec;

/**
 * A global variable that lives in a data section.
 *
 * @param name     the C variable name
 * @param mapName  the global data map holding it, e.g. {@code .rodata}
 * @param offset   byte offset inside the map's value
 * @param size     size in bytes
 * @param typeId   BTF type id of the variable's type (not of the {@code VAR})
 * @param readOnly whether it lives in a {@code .rodata*} section: settable only before load
 * @param global   whether it has global linkage (static variables are listed too; the generator may skip them)
 */
public record VariableSpec(String name, String mapName, int offset, int size, int typeId, boolean readOnly,
        boolean global) {}
