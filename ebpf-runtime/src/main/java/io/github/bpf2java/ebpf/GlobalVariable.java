package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.syscall.MappedMemory;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * A global variable of a loaded object, in the data map of its section ({@code .data}, {@code .bss},
 * {@code .rodata}, {@code .data.*}, {@code .rodata.*}).
 *
 * <p><b>Memory-mapped.</b> The loader creates data maps {@code BPF_F_MMAPABLE}, and this object reads and writes
 * the variable through the map's memory, shared with the programs: a read is a memory load, a write stores exactly
 * the variable's bytes and nothing else of its section, so values the programs write meanwhile into neighbouring
 * variables are never lost. Scalars of 1, 2, 4 and 8 bytes at their natural alignment (as the compiler places them)
 * are read and written whole, with acquire/release ordering, so a program's atomic increments and a Java reader in
 * a polling loop see each other. A struct or array is copied field by field: like a C reader, it may see a program's
 * update half done.
 *
 * <p>Variables in {@code .rodata*} are frozen at load: they are read through a read-only mapping here and set
 * before loading with {@link LoadOptions.Builder#constant} (or the generated options).
 *
 * <p><b>Without mapping.</b> When the kernel cannot map the section (Linux before 5.5 has no mmapable arrays; a
 * section holding a {@code bpf_spin_lock} or timer cannot be mapped either), reads go through a lookup of the whole
 * section, and writes are refused with a {@link NotSupportedException}: the kernel offers no way to write part of a
 * map value, and rewriting the whole section would erase what programs write meanwhile into its other variables.
 * {@link #mapped()} tells which way this variable goes.
 *
 * <p>Thread-safe. After the object is closed every access fails with {@link IllegalStateException}; a read racing
 * with the close may return zeros, never crash.
 */
public final class GlobalVariable {
    private static final byte[] KEY = new byte[4];
    private static final VarHandle SHORTS = MethodHandles.byteBufferViewVarHandle(short[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle FLOATS = MethodHandles.byteBufferViewVarHandle(float[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle DOUBLES = MethodHandles.byteBufferViewVarHandle(double[].class,
            ByteOrder.nativeOrder());

    private final VariableSpec spec;
    private final BpfMap map;
    private final String objectName;
    private final int offset;
    private final boolean aligned;
    // Made on first use, so an object whose globals Java never touches maps nothing.
    private volatile Access access;

    GlobalVariable(VariableSpec spec, BpfMap map, String objectName) {
        this.spec = spec;
        this.map = map;
        this.objectName = objectName;
        this.offset = spec.offset();
        int size = spec.size();
        this.aligned = (size == 2 || size == 4 || size == 8) && offset % size == 0;
    }

    /** How this variable is reached: through its section's mapping, or, when that failed, through lookups. */
    private static final class Access {
        final MappedMemory memory;
        final ByteBuffer view;
        final KernelException unmapped;

        Access(MappedMemory memory, KernelException unmapped) {
            this.memory = memory;
            this.view = memory == null ? null : memory.buffer();
            this.unmapped = unmapped;
        }
    }

    private Access access() {
        Access a = access;
        if (a == null) {
            if (map.handle().fd().isClosed()) {
                throw closed(); // rather than the map's own "is closed", which names a section, not the variable
            }
            try {
                a = new Access(map.mappedMemory(), null);
            } catch (KernelException e) {
                a = new Access(null, e);
            } catch (IllegalStateException e) {
                if (map.handle().fd().isClosed()) {
                    throw closed(); // closed meanwhile
                }
                throw e;
            }
            if (a.view != null && offset + spec.size() > a.view.capacity()) {
                throw new IllegalStateException("global variable '" + spec.name() + "' (" + spec.size()
                        + " bytes at " + offset + ") lies beyond its map '" + map.name() + "' of "
                        + a.view.capacity() + " bytes");
            }
            access = a;
        }
        return a;
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

    /**
     * Whether reads and writes go through the section's memory mapping; when not, {@link #whyNotMapped()} says why
     * and writes are refused.
     */
    public boolean mapped() {
        return access().memory != null;
    }

    /** Why the kernel would not map this variable's section, when it would not. */
    public Optional<KernelException> whyNotMapped() {
        return Optional.ofNullable(access().unmapped);
    }

    // ---- bytes and codecs ----------------------------------------------------------------------------------------

    /** A copy of the variable's current bytes, in the host's byte order. */
    public byte[] get() {
        ByteBuffer b = mappedView();
        if (b == null) {
            return sectionBytes();
        }
        byte[] bytes = new byte[spec.size()];
        b.get(offset, bytes);
        return bytes;
    }

    /**
     * The variable decoded with {@code codec}.
     *
     * @throws IllegalArgumentException when the codec's size differs from the variable's
     */
    public <T> T get(Codec<T> codec) {
        requireCodec(codec);
        ByteBuffer b = mappedView();
        if (b == null) {
            return codec.decode(ByteBuffer.wrap(sectionBytes()).order(ByteOrder.nativeOrder()), 0);
        }
        return codec.decode(b, offset);
    }

    /**
     * Writes the variable, and only it.
     *
     * @param value exactly {@link #size()} bytes, in the host's byte order
     * @throws IllegalStateException for variables in read-only sections
     * @throws NotSupportedException when the section is not memory-mapped (see the class comment)
     */
    public void set(byte[] value) {
        if (value.length != spec.size()) {
            throw new IllegalArgumentException("global variable '" + name() + "' has " + spec.size()
                    + " bytes, but " + value.length + " were given");
        }
        writable().put(offset, value);
    }

    /** Writes the variable encoded with {@code codec}, all of its bytes at once. */
    public <T> void set(Codec<T> codec, T value) {
        requireCodec(codec);
        byte[] bytes = Codecs.toBytes(codec, value);
        writable().put(offset, bytes);
    }

    // ---- scalars -------------------------------------------------------------------------------------------------

    /** The value of a 1-byte {@code bool}: any non-zero byte is {@code true}. */
    public boolean getBoolean() {
        return getByte() != 0;
    }

    /** The value of a 1-byte variable. */
    public byte getByte() {
        requireSize(Byte.BYTES);
        ByteBuffer b = mappedView();
        if (b == null) {
            return sectionBytes()[0];
        }
        byte value = b.get(offset);
        VarHandle.acquireFence();
        return value;
    }

    /** The value of a 2-byte variable. */
    public short getShort() {
        requireSize(Short.BYTES);
        ByteBuffer b = mappedView();
        if (b == null) {
            return heap().getShort(0);
        }
        return aligned ? (short) SHORTS.getAcquire(b, offset) : b.getShort(offset);
    }

    /** The value of a 4-byte variable. */
    public int getInt() {
        requireSize(Integer.BYTES);
        ByteBuffer b = mappedView();
        if (b == null) {
            return heap().getInt(0);
        }
        return aligned ? (int) INTS.getAcquire(b, offset) : b.getInt(offset);
    }

    /** The value of an 8-byte variable. */
    public long getLong() {
        requireSize(Long.BYTES);
        ByteBuffer b = mappedView();
        if (b == null) {
            return heap().getLong(0);
        }
        return aligned ? (long) LONGS.getAcquire(b, offset) : b.getLong(offset);
    }

    /** The value of a {@code float}. */
    public float getFloat() {
        requireSize(Float.BYTES);
        ByteBuffer b = mappedView();
        if (b == null) {
            return heap().getFloat(0);
        }
        return aligned ? (float) FLOATS.getAcquire(b, offset) : b.getFloat(offset);
    }

    /** The value of a {@code double}. */
    public double getDouble() {
        requireSize(Double.BYTES);
        ByteBuffer b = mappedView();
        if (b == null) {
            return heap().getDouble(0);
        }
        return aligned ? (double) DOUBLES.getAcquire(b, offset) : b.getDouble(offset);
    }

    /** Writes a 1-byte {@code bool} as 0 or 1. */
    public void setBoolean(boolean value) {
        setByte((byte) (value ? 1 : 0));
    }

    /** Writes a 1-byte variable. */
    public void setByte(byte value) {
        requireSize(Byte.BYTES);
        ByteBuffer b = writable();
        VarHandle.releaseFence();
        b.put(offset, value);
    }

    /** Writes a 2-byte variable. */
    public void setShort(short value) {
        requireSize(Short.BYTES);
        ByteBuffer b = writable();
        if (aligned) {
            SHORTS.setRelease(b, offset, value);
        } else {
            b.putShort(offset, value);
        }
    }

    /** Writes a 4-byte variable. */
    public void setInt(int value) {
        requireSize(Integer.BYTES);
        ByteBuffer b = writable();
        if (aligned) {
            INTS.setRelease(b, offset, value);
        } else {
            b.putInt(offset, value);
        }
    }

    /** Writes an 8-byte variable. */
    public void setLong(long value) {
        requireSize(Long.BYTES);
        ByteBuffer b = writable();
        if (aligned) {
            LONGS.setRelease(b, offset, value);
        } else {
            b.putLong(offset, value);
        }
    }

    /** Writes a {@code float}. */
    public void setFloat(float value) {
        requireSize(Float.BYTES);
        ByteBuffer b = writable();
        if (aligned) {
            FLOATS.setRelease(b, offset, value);
        } else {
            b.putFloat(offset, value);
        }
    }

    /** Writes a {@code double}. */
    public void setDouble(double value) {
        requireSize(Double.BYTES);
        ByteBuffer b = writable();
        if (aligned) {
            DOUBLES.setRelease(b, offset, value);
        } else {
            b.putDouble(offset, value);
        }
    }

    // ---- internals -----------------------------------------------------------------------------------------------

    /** The mapped section, or null when it is not mapped. */
    private ByteBuffer mappedView() {
        Access a = access();
        if (a.memory == null) {
            return null;
        }
        if (a.memory.isClosed()) {
            throw closed();
        }
        return a.view;
    }

    private IllegalStateException closed() {
        return new IllegalStateException("global variable '" + name() + "' of " + objectName
                + ": its object is closed; read and write globals while the object is open");
    }

    private ByteBuffer writable() {
        if (readOnly()) {
            throw new IllegalStateException("global variable '" + name() + "' lives in " + spec.mapName()
                    + ", which is frozen once loaded; set it before loading with LoadOptions.builder().constant(\""
                    + name() + "\", value) or the generated options");
        }
        Access a = access();
        if (a.memory == null) {
            throw new NotSupportedException("global variable '" + name() + "' cannot be written after load: its"
                    + " section " + spec.mapName() + " is not memory-mapped (" + a.unmapped.getMessage().lines()
                    .findFirst().orElse("") + ")", "mmap", a.unmapped.errno(), "map '" + map.name() + "'",
                    a.unmapped.hint().map(why -> why + ". ").orElse("")
                    + "writing one variable needs the section's memory mapping (BPF_F_MMAPABLE arrays, Linux 5.5+); "
                            + "writing the whole section through the map would erase what programs store meanwhile "
                            + "in its other variables. Set the initial value before loading instead, or, knowing "
                            + "that risk, write the whole section with object().map(\"" + map.name() + "\")");
        }
        if (a.memory.isClosed()) {
            throw closed();
        }
        return a.view;
    }

    private byte[] sectionBytes() {
        if (map.handle().fd().isClosed()) {
            throw closed();
        }
        byte[] section = map.lookup(KEY).orElseThrow(() -> new IllegalStateException(
                "data map '" + map.name() + "' has no value"));
        return Arrays.copyOfRange(section, offset, offset + spec.size());
    }

    private ByteBuffer heap() {
        return ByteBuffer.wrap(sectionBytes()).order(ByteOrder.nativeOrder());
    }

    private void requireSize(int bytes) {
        if (spec.size() != bytes) {
            throw new IllegalStateException("global variable '" + name() + "' has " + spec.size() + " bytes, not "
                    + bytes);
        }
    }

    private void requireCodec(Codec<?> codec) {
        if (codec.size() != spec.size()) {
            throw new IllegalArgumentException("global variable '" + name() + "' has " + spec.size()
                    + " bytes, but " + codec + " reads " + codec.size());
        }
    }

    @Override
    public String toString() {
        return "GlobalVariable[" + name() + " in " + spec.mapName() + ", " + size() + " bytes"
                + (access != null && access.memory == null ? ", not mapped" : "") + "]";
    }
}
