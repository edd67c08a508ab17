package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.spec.VariableSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A global variable of a loaded object, read and written through the data map holding it ({@code .data},
 * {@code .bss}, {@code .data.*}). Variables in {@code .rodata} are frozen at load: they can be read here and set only
 * before loading, with {@link LoadOptions.Builder#constant}.
 *
 * <p>A write replaces the whole data section's value, so concurrent writes of different variables of one section
 * from user space can overwrite each other; programs' own updates in between can be lost the same way.
 */
public final class GlobalVariable {
    private static final byte[] KEY = new byte[4];

    private final VariableSpec spec;
    private final BpfMap map;

    GlobalVariable(VariableSpec spec, BpfMap map) {
        this.spec = spec;
        this.map = map;
    }

    /** The C variable name. */
    public String name() {
        return spec.name();
    }

    /** Size in bytes. */
    public int size() {
        return spec.size();
    }

    /** Whether it lives in a read-only section ({@code .rodata*}, {@code .kconfig}). */
    public boolean readOnly() {
        return spec.readOnly();
    }

    /** What the object file says about this variable. */
    public VariableSpec spec() {
        return spec;
    }

    /** The variable's current bytes, in the host's byte order. */
    public byte[] get() {
        byte[] section = map.lookup(KEY).orElseThrow(() -> new IllegalStateException(
                "data map '" + map.name() + "' has no value"));
        return Arrays.copyOfRange(section, spec.offset(), spec.offset() + spec.size());
    }

    /** The value of a 4-byte variable. */
    public int getInt() {
        requireSize(Integer.BYTES);
        return ByteBuffer.wrap(get()).order(ByteOrder.nativeOrder()).getInt();
    }

    /** The value of an 8-byte variable. */
    public long getLong() {
        requireSize(Long.BYTES);
        return ByteBuffer.wrap(get()).order(ByteOrder.nativeOrder()).getLong();
    }

    /**
     * Writes the variable.
     *
     * @param value exactly {@link #size()} bytes, in the host's byte order
     * @throws IllegalStateException for variables in read-only sections
     */
    public void set(byte[] value) {
        if (readOnly()) {
            throw new IllegalStateException("global variable '" + name() + "' lives in " + spec.mapName()
                    + ", which is frozen once loaded; set it before loading with LoadOptions.builder().constant(\""
                    + name() + "\", value)");
        }
        if (value.length != spec.size()) {
            throw new IllegalArgumentException("global variable '" + name() + "' has " + spec.size()
                    + " bytes, but " + value.length + " were given");
        }
        byte[] section = map.lookup(KEY).orElseThrow(() -> new IllegalStateException(
                "data map '" + map.name() + "' has no value"));
        System.arraycopy(value, 0, section, spec.offset(), value.length);
        map.put(KEY, section);
    }

    /** Writes a 4-byte variable. */
    public void setInt(int value) {
        requireSize(Integer.BYTES);
        set(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** Writes an 8-byte variable. */
    public void setLong(long value) {
        requireSize(Long.BYTES);
        set(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder()).putLong(value).array());
    }

    private void requireSize(int bytes) {
        if (spec.size() != bytes) {
            throw new IllegalStateException("global variable '" + name() + "' has " + spec.size() + " bytes, not "
                    + bytes);
        }
    }

    @Override
    public String toString() {
        return "GlobalVariable[" + name() + " in " + spec.mapName() + ", " + size() + " bytes]";
    }
}
