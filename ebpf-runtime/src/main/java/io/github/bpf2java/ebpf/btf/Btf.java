package io.github.bpf2java.ebpf.btf;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * The types of a {@code .BTF} section (or of the kernel's {@code /sys/kernel/btf/vmlinux}), parsed in Java.
 * Immutable. Every lookup is bounds-checked and every walk through references is loop-safe.
 */
public final class Btf {
    // TODO(parse helper): implement. Signatures below are the contract the generator and loader code against.

    private Btf() {}

    /**
     * Parses raw BTF.
     *
     * @throws io.github.bpf2java.ebpf.ObjectFormatException on truncated data, bad offsets, unknown kinds or
     *     references to missing types
     */
    public static Btf parse(byte[] data, ByteOrder order) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The byte order of the raw data. */
    public ByteOrder byteOrder() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** All types, indexed by id; index 0 is {@link BtfType.Void}. */
    public List<BtfType> types() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The type with id {@code id}; an {@link io.github.bpf2java.ebpf.ObjectFormatException} when out of range. */
    public BtfType type(int id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The first type of class {@code kind} named {@code name}. */
    public <T extends BtfType> Optional<T> find(String name, Class<T> kind) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Follows typedefs and qualifiers from {@code id} to the underlying type (loop-safe). */
    public BtfType resolve(int id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The size in bytes of type {@code id} (pointers are 8 bytes), following typedefs, qualifiers and arrays. */
    public long sizeOf(int id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The string at {@code offset} of the string table. */
    public String string(int offset) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** A C-like spelling of type {@code id} for messages and Javadoc, e.g. {@code struct event *} or {@code u32[16]}. */
    public String describe(int id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The raw bytes as read, for loading into the kernel after the loader's fix-ups. */
    public byte[] rawBytes() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
