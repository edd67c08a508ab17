package io.github.bpf2java.ebpf.codec;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Codecs for C's own types: integers, {@code bool}, floating point, byte arrays, {@code char[N]} strings, arrays of
 * any codec (nested for multi-dimensional arrays), enums and per-CPU values. Generated records are built from
 * these; use them directly for maps and globals whose types are C scalars.
 *
 * <h2>Unsigned integers</h2>
 * An unsigned C integer maps to the Java integer of the same width, bits unchanged: {@code __u8} to {@code Byte},
 * {@code __u16} to {@code Short}, {@code __u32} to {@code Integer}, {@code __u64} to {@code Long}. So
 * {@code 0xffffffff} in a {@code __u32} reads as {@code -1}; widen it with {@link Byte#toUnsignedInt},
 * {@link Short#toUnsignedInt}, {@link Integer#toUnsignedLong}, and print, compare or divide a {@code __u64} with
 * {@link Long#toUnsignedString}, {@link Long#compareUnsigned}, {@link Long#divideUnsigned}. One rule for every
 * width keeps a value's bits identical on the way in and out; widening {@code __u64} is impossible anyway.
 *
 * <h2>Strings</h2>
 * {@link #string(int)} maps {@code char name[N]} to a {@link String}: read as UTF-8 up to the first NUL (or all N
 * bytes when there is none; bytes that are not UTF-8 read as U+FFFD), written as UTF-8 followed by NULs up to N.
 * A string whose UTF-8 form is longer than N bytes, or that holds a NUL, is refused with an
 * {@link IllegalArgumentException}: nothing is cut off silently. Use {@link #bytes(int)} for the raw bytes.
 */
public final class Codecs {
    /** {@code __s8} / {@code signed char}. */
    public static final Codec<Byte> S8 = new Int8("__s8");
    /** {@code __u8} / {@code unsigned char}: bits unchanged, widen with {@link Byte#toUnsignedInt}. */
    public static final Codec<Byte> U8 = new Int8("__u8");
    /** {@code __s16}. */
    public static final Codec<Short> S16 = new Int16("__s16");
    /** {@code __u16}: bits unchanged, widen with {@link Short#toUnsignedInt}. */
    public static final Codec<Short> U16 = new Int16("__u16");
    /** {@code __s32} / {@code int}. */
    public static final Codec<Integer> S32 = new Int32("__s32");
    /** {@code __u32}: bits unchanged, widen with {@link Integer#toUnsignedLong}. */
    public static final Codec<Integer> U32 = new Int32("__u32");
    /** {@code __s64}. */
    public static final Codec<Long> S64 = new Int64("__s64");
    /** {@code __u64}: bits unchanged; see {@link Long#toUnsignedString}, {@link Long#compareUnsigned}. */
    public static final Codec<Long> U64 = new Int64("__u64");
    /** {@code bool} / {@code _Bool}, one byte: any non-zero byte reads as {@code true}, {@code true} writes 1. */
    public static final Codec<Boolean> BOOL = new Bool();
    /** {@code float}. */
    public static final Codec<Float> F32 = new Float32();
    /** {@code double}. */
    public static final Codec<Double> F64 = new Float64();
    /**
     * An IPv4 address kept as the kernel keeps it, in network byte order: a {@code __be32} such as
     * {@code iph->saddr} or {@code ctx->remote_ip4}, whatever the host's byte order ({@code 4 bytes}).
     */
    public static final Codec<Inet4Address> IPV4_ADDRESS = new InetAddressCodec<>(Inet4Address.class, 4);
    /** An IPv6 address as the kernel keeps it, 16 bytes in network order: {@code struct in6_addr}, {@code __u8[16]}. */
    public static final Codec<Inet6Address> IPV6_ADDRESS = new InetAddressCodec<>(Inet6Address.class, 16);

    private Codecs() {}

    /** {@code __u8 bytes[length]} (or any C type read as raw bytes): a {@code byte[]} of exactly that length. */
    public static Codec<byte[]> bytes(int length) {
        return new Bytes(checkLength(length));
    }

    /** {@code __s16/__u16 values[length]} as {@code short[]}. */
    public static Codec<short[]> shorts(int length) {
        return new Shorts(checkLength(length));
    }

    /** {@code __s32/__u32 values[length]} as {@code int[]}. */
    public static Codec<int[]> ints(int length) {
        return new Ints(checkLength(length));
    }

    /** {@code __s64/__u64 values[length]} (or pointers) as {@code long[]}. */
    public static Codec<long[]> longs(int length) {
        return new Longs(checkLength(length));
    }

    /** {@code float values[length]} as {@code float[]}. */
    public static Codec<float[]> floats(int length) {
        return new Floats(checkLength(length));
    }

    /** {@code double values[length]} as {@code double[]}. */
    public static Codec<double[]> doubles(int length) {
        return new Doubles(checkLength(length));
    }

    /** {@code bool values[length]} as {@code boolean[]}. */
    public static Codec<boolean[]> booleans(int length) {
        return new Booleans(checkLength(length));
    }

    /**
     * A codec between a record of yours and the C struct or union {@code typeName} of an object's BTF: for objects
     * read at run time without the plugin's generated records ({@code ObjectSpec.btf()}). Each record component
     * reads the struct member of its name ({@code pid}; in camel case for a snake-case member, {@code asU32} for
     * {@code as_u32}; with a trailing underscore for a Java keyword, {@code class_}), at the offset BTF gives, so a
     * record may take only the members it needs, in any order; members of anonymous structs and unions are found
     * too. Component types: {@code byte}, {@code short}, {@code int}, {@code long} for C integers, enums and
     * pointers at least as wide (unsigned values widen without sign: {@code long} for a {@code __u32} gives its
     * number), {@code boolean} for any integer, {@code float}/{@code double} for C floats, {@code String} for a
     * {@code char} array, arrays for C arrays ({@code byte[]}, {@code short[][]}, arrays of records; {@code byte[]}
     * also for a 16-byte {@code __int128}, its bytes in the buffer's order), and records for
     * nested structs and unions; bit fields read into any integer wide enough. Encoding zeroes the bytes no component
     * covers.
     *
     * <pre>{@code
     * // struct event { __u32 pid; __u64 timestamp_ns; char comm[16]; ... } in the object
     * record Event(int pid, long timestampNs, String comm) {}
     * Codec<Event> codec = Codecs.fromBtf(Event.class, spec.btf().orElseThrow(), "event");
     * }</pre>
     *
     * Every check is made here; decoding reads the members and calls the record's constructor through a method
     * handle.
     *
     * @throws IllegalArgumentException when {@code typeName} is no struct or union of {@code btf}, or a component
     *                                  names no member or has a type that cannot hold it (the message says which
     *                                  and what would)
     */
    public static <R extends Record> Codec<R> fromBtf(Class<R> type, Btf btf, String typeName) {
        Objects.requireNonNull(typeName, "typeName");
        List<BtfType> named = btf.findAll(typeName).stream()
                .filter(t -> t instanceof BtfType.Struct || t instanceof BtfType.Union || t instanceof BtfType.Typedef)
                .toList();
        if (named.isEmpty()) {
            // Commonly a struct only a program's body uses (an event sent with bpf_perf_event_output or
            // bpf_ringbuf_output), which clang leaves out of BTF.
            throw new IllegalArgumentException("no struct, union or typedef named '" + typeName + "' in the BTF "
                    + "given for record " + type.getSimpleName() + "; a type that only a program's body uses (an "
                    + "event it sends) is not in an object's BTF: name it in the ebpf-maven-plugin's <types>, which "
                    + "puts it there and generates a record with its CODEC");
        }
        return BtfRecordCodec.of(type, btf, named.get(0).id());
    }

    /**
     * As {@link #fromBtf(Class, Btf, String)}, for the type with id {@code typeId}, such as a map's
     * {@code MapSpec.valueTypeId()}.
     */
    public static <R extends Record> Codec<R> fromBtf(Class<R> type, Btf btf, int typeId) {
        return BtfRecordCodec.of(type, btf, typeId);
    }

    /**
     * {@code char name[length]} as a {@link String}; see the class comment for the rules.
     *
     * @param length the C array length, the most UTF-8 bytes a string may have
     */
    public static Codec<String> string(int length) {
        return new CString(checkLength(length));
    }

    /**
     * The text in a byte array that holds a C string, such as a {@code __u8 comm[16]} member (records give
     * {@code __u8} and {@code unsigned char} arrays as {@code byte[]}, since most are not text): read as
     * {@link #string(int)} reads {@code char[N]}, UTF-8 up to the first NUL or the array's end.
     */
    public static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * {@code text} as a C string in a new array of {@code length} bytes: its UTF-8 bytes, then NULs; the way into a
     * {@code __u8 name[length]} member. Refused as {@link #string(int)} refuses it: longer than {@code length}
     * bytes in UTF-8, or holding a NUL.
     *
     * @throws IllegalArgumentException when {@code text} does not fit, or holds a NUL
     */
    public static byte[] cStringBytes(String text, int length) {
        return toBytes(string(length), Objects.requireNonNull(text, "text"));
    }

    /**
     * {@code T values[length]} for any element codec; nest it for multi-dimensional arrays:
     * {@code int grid[2][3]} is {@code array(ints(3), 2, int[][]::new)}.
     *
     * @param newArray makes the Java array, e.g. {@code Point[]::new}
     */
    public static <T> Codec<T[]> array(Codec<T> element, int length, IntFunction<T[]> newArray) {
        return new ArrayOf<>(Objects.requireNonNull(element, "element"), checkLength(length),
                Objects.requireNonNull(newArray, "newArray"));
    }

    /**
     * A C enum as the Java enum {@code E}; values it does not name decode to {@code unrecognized}.
     *
     * @param size      the C enum's size, 1, 2, 4 or 8 bytes
     * @param signed    whether the C enum has negative values (BTF says so)
     * @param constants {@code E.values()}
     */
    public static <E extends Enum<E> & CEnum> EnumCodec<E> enumeration(int size, boolean signed, E[] constants,
            E unrecognized) {
        return new EnumCodec<>(size, signed, constants, unrecognized);
    }

    /**
     * The value of a per-CPU map as the kernel lays it out: one {@code value} per possible CPU, each in a slot
     * rounded up to 8 bytes, read into an unmodifiable list indexed by CPU number. Writing requires exactly
     * {@code cpus} values.
     */
    public static <T> Codec<List<T>> perCpu(Codec<T> value, int cpus) {
        if (cpus <= 0) {
            throw new IllegalArgumentException("per-CPU values need at least one CPU, not " + cpus);
        }
        return new PerCpu<>(Objects.requireNonNull(value, "value"), cpus);
    }

    /**
     * Decodes {@code bytes}, which must be exactly {@code codec.size()} long, in the host's byte order.
     *
     * @throws IllegalArgumentException when the length differs
     */
    public static <T> T fromBytes(Codec<T> codec, byte[] bytes) {
        if (bytes.length != codec.size()) {
            // A perf sample's copy is the record and up to 7 bytes of padding (with its 4-byte size, the kernel
            // rounds each sample up to 8 bytes): a common way to get here.
            int extra = bytes.length - codec.size();
            throw new IllegalArgumentException(codec + " reads " + codec.size() + " bytes, got " + bytes.length
                    + (extra > 0 && extra < 8 ? "; if these are a perf event array's sample, the " + extra + " bytes "
                            + "after the record are the kernel's padding: read such samples with "
                            + "onSample(codec, consumer) or PerfEventReader.open(map, codec, consumer), which leave "
                            + "it, or decode with codec.decode(buffer, 0)" : ""));
        }
        return codec.decode(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0);
    }

    /** Encodes {@code value} into a new array of {@code codec.size()} bytes, in the host's byte order. */
    public static <T> byte[] toBytes(Codec<T> codec, T value) {
        byte[] bytes = new byte[codec.size()];
        codec.encode(value, ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0);
        return bytes;
    }

    /** Zeroes {@code length} bytes from {@code offset}: the padding of a struct before its members are written. */
    public static void zero(ByteBuffer buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.limit());
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            buffer.putLong(offset + i, 0L);
        }
        for (; i < length; i++) {
            buffer.put(offset + i, (byte) 0);
        }
    }

    /** A C integer of {@code size} bytes at {@code offset}, sign- or zero-extended to 64 bits. */
    static long readInteger(ByteBuffer buffer, int offset, int size, boolean signed) {
        return switch (size) {
            case 1 -> signed ? buffer.get(offset) : buffer.get(offset) & 0xffL;
            case 2 -> signed ? buffer.getShort(offset) : buffer.getShort(offset) & 0xffffL;
            case 4 -> signed ? buffer.getInt(offset) : buffer.getInt(offset) & 0xffff_ffffL;
            default -> buffer.getLong(offset);
        };
    }

    /** Writes the low {@code size} bytes of {@code value} as a C integer. */
    static void writeInteger(ByteBuffer buffer, int offset, int size, long value) {
        switch (size) {
            case 1 -> buffer.put(offset, (byte) value);
            case 2 -> buffer.putShort(offset, (short) value);
            case 4 -> buffer.putInt(offset, (int) value);
            default -> buffer.putLong(offset, value);
        }
    }

    /** The C type inside a built-in codec's {@code Codec[...]} name, or null for any other codec. */
    private static String cType(Codec<?> codec) {
        String name = codec.toString();
        return name.startsWith("Codec[") && name.endsWith("]") ? name.substring(6, name.length() - 1) : null;
    }

    private static int checkLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative array length " + length);
        }
        return length;
    }

    /** @param actual the array's length, or -1 for a null array */
    private static void checkArray(int actual, int expected, String what) {
        if (actual < 0) {
            // A record component the kernel owns (a bpf_timer's opaque words) is still an array to Java.
            throw new NullPointerException(what + " is null: pass an array of " + expected + " elements (all "
                    + "zeros where the kernel owns the field, as it does a bpf_timer's)");
        }
        if (actual != expected) {
            throw new IllegalArgumentException(what + " needs exactly " + expected + " elements, got " + actual);
        }
    }

    private static void checkRange(ByteBuffer buffer, int offset, int size) {
        Objects.checkFromIndexSize(offset, size, buffer.limit());
    }

    // ---- scalars ---------------------------------------------------------------------------------------------

    private abstract static class Named<T> implements Codec<T> {
        private final String cType;

        Named(String cType) {
            this.cType = cType;
        }

        @Override
        public String toString() {
            return "Codec[" + cType + "]";
        }
    }

    // Addresses are byte strings in network order: copied byte for byte, never through the buffer's byte order.
    private static final class InetAddressCodec<A extends InetAddress> extends Named<A> {
        private final Class<A> type;
        private final int size;

        InetAddressCodec(Class<A> type, int size) {
            super(size == 4 ? "__be32 IPv4 address" : "IPv6 address[16]");
            this.type = type;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public A decode(ByteBuffer buffer, int offset) {
            checkRange(buffer, offset, size);
            byte[] bytes = new byte[size];
            buffer.get(offset, bytes);
            try {
                InetAddress address = InetAddress.getByAddress(bytes);
                if (type.isInstance(address)) {
                    return type.cast(address);
                }
                // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) comes back as an Inet4Address: keep all 16 bytes.
                return type.cast(Inet6Address.getByAddress(null, bytes, -1));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("an address of " + size + " bytes was refused", e);
            }
        }

        @Override
        public void encode(A value, ByteBuffer buffer, int offset) {
            Objects.requireNonNull(value, "address");
            checkRange(buffer, offset, size);
            buffer.put(offset, value.getAddress());
        }
    }

    private static final class Int8 extends Named<Byte> {
        Int8(String cType) {
            super(cType);
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public Byte decode(ByteBuffer buffer, int offset) {
            return buffer.get(offset);
        }

        @Override
        public void encode(Byte value, ByteBuffer buffer, int offset) {
            buffer.put(offset, value);
        }
    }

    private static final class Int16 extends Named<Short> {
        Int16(String cType) {
            super(cType);
        }

        @Override
        public int size() {
            return 2;
        }

        @Override
        public Short decode(ByteBuffer buffer, int offset) {
            return buffer.getShort(offset);
        }

        @Override
        public void encode(Short value, ByteBuffer buffer, int offset) {
            buffer.putShort(offset, value);
        }
    }

    private static final class Int32 extends Named<Integer> {
        Int32(String cType) {
            super(cType);
        }

        @Override
        public int size() {
            return 4;
        }

        @Override
        public Integer decode(ByteBuffer buffer, int offset) {
            return buffer.getInt(offset);
        }

        @Override
        public void encode(Integer value, ByteBuffer buffer, int offset) {
            buffer.putInt(offset, value);
        }
    }

    private static final class Int64 extends Named<Long> {
        Int64(String cType) {
            super(cType);
        }

        @Override
        public int size() {
            return 8;
        }

        @Override
        public Long decode(ByteBuffer buffer, int offset) {
            return buffer.getLong(offset);
        }

        @Override
        public void encode(Long value, ByteBuffer buffer, int offset) {
            buffer.putLong(offset, value);
        }
    }

    private static final class Bool extends Named<Boolean> {
        Bool() {
            super("bool");
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public Boolean decode(ByteBuffer buffer, int offset) {
            return buffer.get(offset) != 0;
        }

        @Override
        public void encode(Boolean value, ByteBuffer buffer, int offset) {
            buffer.put(offset, (byte) (value ? 1 : 0));
        }
    }

    private static final class Float32 extends Named<Float> {
        Float32() {
            super("float");
        }

        @Override
        public int size() {
            return 4;
        }

        @Override
        public Float decode(ByteBuffer buffer, int offset) {
            return buffer.getFloat(offset);
        }

        @Override
        public void encode(Float value, ByteBuffer buffer, int offset) {
            buffer.putFloat(offset, value);
        }
    }

    private static final class Float64 extends Named<Double> {
        Float64() {
            super("double");
        }

        @Override
        public int size() {
            return 8;
        }

        @Override
        public Double decode(ByteBuffer buffer, int offset) {
            return buffer.getDouble(offset);
        }

        @Override
        public void encode(Double value, ByteBuffer buffer, int offset) {
            buffer.putDouble(offset, value);
        }
    }

    // ---- arrays ----------------------------------------------------------------------------------------------

    private abstract static class FixedArray<A> implements Codec<A> {
        final int length;
        private final String cType;
        private final int width;

        FixedArray(String cType, int width, int length) {
            this.cType = cType;
            this.width = width;
            this.length = length;
        }

        @Override
        public int size() {
            return width * length;
        }

        @Override
        public String toString() {
            return "Codec[" + cType + "[" + length + "]]";
        }
    }

    private static final class Bytes extends FixedArray<byte[]> {
        Bytes(int length) {
            super("__u8", 1, length);
        }

        @Override
        public byte[] decode(ByteBuffer buffer, int offset) {
            byte[] values = new byte[length];
            buffer.get(offset, values);
            return values;
        }

        @Override
        public void encode(byte[] value, ByteBuffer buffer, int offset) {
            checkArray(value == null ? -1 : value.length, length, toString());
            buffer.put(offset, value);
        }
    }

    private static final class Shorts extends FixedArray<short[]> {
        Shorts(int length) {
            super("__s16/__u16", 2, length);
        }

        @Override
        public short[] decode(ByteBuffer buffer, int offset) {
            checkRange(buffer, offset, size());
            short[] values = new short[length];
            for (int i = 0; i < length; i++) {
                values[i] = buffer.getShort(offset + 2 * i);
            }
            return values;
        }

        @Override
        public void encode(short[] value, ByteBuffer buffer, int offset) {
            checkArray(value == null ? -1 : value.length, length, toString());
            checkRange(buffer, offset, size());
            for (int i = 0; i < length; i++) {
                buffer.putShort(offset + 2 * i, value[i]);
            }
        }
    }

    private static final class Ints extends FixedArray<int[]> {
        Ints(int length) {
            super("__s32/__u32", 4, length);
        }

        @Override
        public int[] decode(ByteBuffer buffer, int offset) {
            checkRange(buffer, offset, size());
            int[] values = new int[length];
            for (int i = 0; i < length; i++) {
                values[i] = buffer.getInt(offset + 4 * i);
            }
            return values;
        }

        @Override
        public void encode(int[] value, ByteBuffer buffer, int offset) {
            checkArray(value == null ? -1 : value.length, length, toString());
            checkRange(buffer, offset, size());
            for (int i = 0; i < length; i++) {
                buffer.putInt(offset + 4 * i, value[i]);
            }
        }
    }

    private static final class Longs extends FixedArray<long[]> {
        Longs(int length) {
            super("__s64/__u64", 8, length);
        }

        @Override
        public long[] decode(ByteBuffer buffer, int offset) {
            checkRange(buffer, offset, size());
            long[] values = new long[length];
            for (int i = 0; i < length; i++) {
                values[i] = buffer.getLong(offset + 8 * i);
            }
            return values;
        }

        @Override
        public void encode(long[] value, ByteBuffer buffer, int offset) {
            checkArray(value == null ? -1 : value.length, length, toString());
            checkRange(buffer, offset, size());
            for (int i = 0; i < length; i++) {
                buffer.putLong(offset + 8 * i, value[i]);
            }
        }
    }

    private static final class Floats extends FixedArray<float[]> {
        Floats(int length) {
            super("float", 4, length);
        }

        @Override
        public float[] decode(ByteBuffer buffer, int offset) {
            checkRange(buffer, offset, size());
            float[] values = new float[length];
            for (int i = 0; i < length; i++) {
                values[i] = buffer.getFloat(offset + 4 * i);
            }
            return values;
        }

        @Override
        public void encode(float[] value, ByteBuffer buffer, int offset) {
            checkArray(value == null ? -1 : value.length, length, toString());
            checkRange(buffer, offset, size());
            for (int i = 0; i < length; i++) {
                buffer.putFloat(offset + 4 * i, value[i]);
            }
        }
    }

    private static final class Doubles extends FixedArray<double[]> {
        Doubles(int length) {
            super("double", 8, length);
        }

        @Override
        public double[] decode(ByteBuffer buffer, int offset) {
            checkRange(buffer, offset, size());
            double[] values = new double[length];
            for (int i = 0; i < length; i++) {
                values[i] = buffer.getDouble(offset + 8 * i);
            }
            return values;
        }

        @Override
        public void encode(double[] value, ByteBuffer buffer, int offset) {
            checkArray(value == null ? -1 : value.length, length, toString());
            checkRange(buffer, offset, size());
            for (int i = 0; i < length; i++) {
                buffer.putDouble(offset + 8 * i, value[i]);
            }
        }
    }

    private static final class Booleans extends FixedArray<boolean[]> {
        Booleans(int length) {
            super("bool", 1, length);
        }

        @Override
        public boolean[] decode(ByteBuffer buffer, int offset) {
            checkRange(buffer, offset, size());
            boolean[] values = new boolean[length];
            for (int i = 0; i < length; i++) {
                values[i] = buffer.get(offset + i) != 0;
            }
            return values;
        }

        @Override
        public void encode(boolean[] value, ByteBuffer buffer, int offset) {
            checkArray(value == null ? -1 : value.length, length, toString());
            checkRange(buffer, offset, size());
            for (int i = 0; i < length; i++) {
                buffer.put(offset + i, (byte) (value[i] ? 1 : 0));
            }
        }
    }

    private static final class CString extends FixedArray<String> {
        CString(int length) {
            super("char", 1, length);
        }

        @Override
        public String decode(ByteBuffer buffer, int offset) {
            checkRange(buffer, offset, length);
            int end = 0;
            while (end < length && buffer.get(offset + end) != 0) {
                end++;
            }
            byte[] utf8 = new byte[end];
            buffer.get(offset, utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }

        @Override
        public void encode(String value, ByteBuffer buffer, int offset) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > length) {
                throw new IllegalArgumentException("\"" + abbreviate(value) + "\" is " + utf8.length
                        + " bytes in UTF-8; char[" + length + "] holds at most " + length);
            }
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("\"" + abbreviate(value) + "\" holds a NUL character, which would"
                        + " end the C string early");
            }
            checkRange(buffer, offset, length);
            buffer.put(offset, utf8);
            for (int i = utf8.length; i < length; i++) {
                buffer.put(offset + i, (byte) 0);
            }
        }

        private static String abbreviate(String value) {
            return value.length() <= 40 ? value : value.substring(0, 37) + "...";
        }
    }

    private static final class ArrayOf<T> implements Codec<T[]> {
        private final Codec<T> element;
        private final int length;
        private final IntFunction<T[]> newArray;
        private final int stride;

        ArrayOf(Codec<T> element, int length, IntFunction<T[]> newArray) {
            this.element = element;
            this.length = length;
            this.newArray = newArray;
            this.stride = element.size();
        }

        @Override
        public int size() {
            return stride * length;
        }

        @Override
        public T[] decode(ByteBuffer buffer, int offset) {
            checkRange(buffer, offset, size());
            T[] values = newArray.apply(length);
            for (int i = 0; i < length; i++) {
                values[i] = element.decode(buffer, offset + i * stride);
            }
            return values;
        }

        @Override
        public void encode(T[] value, ByteBuffer buffer, int offset) {
            checkArray(value == null ? -1 : value.length, length, toString());
            checkRange(buffer, offset, size());
            for (int i = 0; i < length; i++) {
                if (value[i] == null) {
                    throw new NullPointerException("element " + i + " of " + this + " is null");
                }
                element.encode(value[i], buffer, offset + i * stride);
            }
        }

        // Codec[__s16[3]] of 2 is Codec[__s16[2][3]], as C declares it; another element codec is quoted whole.
        @Override
        public String toString() {
            String inner = cType(element);
            if (inner == null) {
                return "Codec[" + length + " x " + element + "]";
            }
            int dims = inner.indexOf('[');
            return "Codec[" + (dims < 0 ? inner + "[" + length + "]"
                    : inner.substring(0, dims) + "[" + length + "]" + inner.substring(dims)) + "]";
        }
    }

    private static final class PerCpu<T> implements Codec<List<T>> {
        private final Codec<T> value;
        private final int cpus;
        private final int stride;

        PerCpu(Codec<T> value, int cpus) {
            this.value = value;
            this.cpus = cpus;
            this.stride = (value.size() + 7) & ~7;
        }

        @Override
        public int size() {
            return stride * cpus;
        }

        @Override
        public List<T> decode(ByteBuffer buffer, int offset) {
            checkRange(buffer, offset, size());
            List<T> values = new ArrayList<>(cpus);
            for (int cpu = 0; cpu < cpus; cpu++) {
                values.add(value.decode(buffer, offset + cpu * stride));
            }
            return Collections.unmodifiableList(values);
        }

        @Override
        public void encode(List<T> values, ByteBuffer buffer, int offset) {
            if (values.size() != cpus) {
                throw new IllegalArgumentException("a per-CPU value needs one value for each of the " + cpus
                        + " possible CPUs, got " + values.size());
            }
            checkRange(buffer, offset, size());
            for (int cpu = 0; cpu < cpus; cpu++) {
                int at = offset + cpu * stride;
                zero(buffer, at, stride);
                value.encode(Objects.requireNonNull(values.get(cpu), "value for CPU " + cpu), buffer, at);
            }
        }

        @Override
        public String toString() {
            String inner = cType(value);
            return "Codec[per-CPU " + (inner == null ? value.toString() : inner) + ", " + cpus + " CPUs]";
        }
    }
}
