package io.github.bpf2java.ebpf.internal.linker;

/**
 * A symbol of the linked object. {@code section} is null for undefined symbols; {@code absolute} marks
 * {@code SHN_ABS} ones (file names).
 */
final class LinkedSymbol {
    static final int STB_LOCAL = 0;
    static final int STB_GLOBAL = 1;
    static final int STB_WEAK = 2;
    static final int STT_SECTION = 3;

    final String name;
    int binding;
    int type;
    int other;
    long value;
    long size;
    OutputSection section;
    boolean absolute;
    /** The input that defines it (or first declared it), for messages. */
    String origin;
    /** The index in the output symbol table, set when the file is laid out. */
    int index;

    LinkedSymbol(String name, int binding, int type, int other, String origin) {
        this.name = name;
        this.binding = binding;
        this.type = type;
        this.other = other;
        this.origin = origin;
    }

    boolean isDefined() {
        return section != null || absolute;
    }

    void define(OutputSection in, long at, long bytes, int newBinding, int newType, int newOther, String from) {
        section = in;
        value = at;
        size = bytes;
        binding = newBinding;
        type = newType;
        other = newOther;
        origin = from;
    }
}
