package io.github.bpf2java.ebpf.codec;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * A codec between a Java record of the caller's and a C struct or union described by BTF: each record component is
 * read from and written to the member of its name, at the offset BTF gives, so a record may name a subset of the
 * members, in any order. Built by {@link Codecs#fromBtf(Class, Btf, String)}; every check is made then, so decoding
 * only reads bytes and calls the record's constructor through a method handle.
 *
 * @param <R> the record type
 */
final class BtfRecordCodec<R extends Record> implements Codec<R> {
    private final String description;
    private final int size;
    private final int minimumSize;
    private final List<Field> fields;
    private final MethodHandle constructor;

    /** How one record component is read and written: at {@code base}, the offset of the enclosing struct. */
    private interface Part {
        Object read(ByteBuffer buffer, int base);

        void write(Object value, ByteBuffer buffer, int base);
    }

    private record Field(String component, MethodHandle accessor, Part part) {}

    /** A member found for a component: its type and where it lies in the struct, bit fields included. */
    private record Located(BtfType.Member member, long bitOffset) {}

    private BtfRecordCodec(Class<R> type, Btf btf, int typeId) {
        this(type, btf, typeId, "");
    }

    /** @param within for a nested struct or union, which member of which type it is, e.g. " (member 'w' of ...)" */
    private BtfRecordCodec(Class<R> type, Btf btf, int typeId, String within) {
        BtfType resolved = btf.resolve(typeId);
        String cName = btf.describe(typeId) + within;
        if (!(resolved instanceof BtfType.Struct) && !(resolved instanceof BtfType.Union)) {
            throw new IllegalArgumentException("record " + type.getSimpleName() + " cannot be read from " + cName
                    + ": only a struct or a union maps to a record");
        }
        this.description = cName + " as " + type.getSimpleName();
        this.size = (int) btf.sizeOf(typeId);
        this.minimumSize = trailingArrayOffset(btf, resolved).orElse(size);
        RecordComponent[] components = type.getRecordComponents();
        List<Field> built = new ArrayList<>();
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            parameterTypes[i] = component.getType();
            Located located = find(btf, resolved, component.getName())
                    .orElseThrow(() -> new IllegalArgumentException("component '" + component.getName()
                            + "' of record " + type.getSimpleName() + " names no member of " + cName
                            + "; its members: " + memberNames(btf, resolved)));
            String member = "member '" + located.member().name() + "' of " + cName;
            String where = "component '" + component.getName() + "' of record " + type.getSimpleName() + " ("
                    + member + ")";
            Part part = part(btf, component.getType(), located.member().typeId(), located.bitOffset(),
                    located.member().bitfieldSize(), where, " (" + member + ")");
            built.add(new Field(component.getName(), unreflect(component), part));
        }
        this.fields = List.copyOf(built);
        this.constructor = constructor(type, parameterTypes);
    }

    static <R extends Record> BtfRecordCodec<R> of(Class<R> type, Btf btf, int typeId) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(btf, "btf");
        return new BtfRecordCodec<>(type, btf, typeId);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int minimumSize() {
        return minimumSize;
    }

    /** The offset of a struct's last member when that member is an array (see {@link Codec#minimumSize()}). */
    private static OptionalInt trailingArrayOffset(Btf btf, BtfType type) {
        if (!(type instanceof BtfType.Struct struct)) {
            return OptionalInt.empty();
        }
        return struct.members().stream().max(Comparator.comparingLong(BtfType.Member::bitOffset))
                .filter(last -> last.bitfieldSize() == 0 && last.bitOffset() % 8 == 0
                        && btf.resolve(last.typeId()) instanceof BtfType.Array array && array.length() > 0)
                .map(last -> OptionalInt.of((int) (last.bitOffset() / 8))).orElse(OptionalInt.empty());
    }

    @Override
    @SuppressWarnings("unchecked")
    public R decode(ByteBuffer buffer, int offset) {
        Objects.checkFromIndexSize(offset, size, buffer.limit());
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = fields.get(i).part().read(buffer, offset);
        }
        try {
            return (R) constructor.invoke(values);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(description + ": the record's constructor threw " + e, e);
        }
    }

    @Override
    public void encode(R value, ByteBuffer buffer, int offset) {
        Objects.requireNonNull(value, "value");
        Objects.checkFromIndexSize(offset, size, buffer.limit());
        Codecs.zero(buffer, offset, size);
        for (Field field : fields) {
            Object component;
            try {
                component = field.accessor().invoke(value);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(description + ": the accessor of " + field.component() + " threw "
                        + e, e);
            }
            Objects.requireNonNull(component, () -> description + ": component " + field.component() + " is null");
            field.part().write(component, buffer, offset);
        }
    }

    @Override
    public String toString() {
        return "Codec[" + description + ", " + size + " bytes]";
    }

    // ---- finding members --------------------------------------------------------------------------------------

    /**
     * The member a component names: its own name, its name in snake case ({@code asU32} for {@code as_u32}), or,
     * for a name with a trailing underscore ({@code class_}), the name without it. Members of anonymous structs and
     * unions are searched too, as C lets them be named directly.
     */
    private static java.util.Optional<Located> find(Btf btf, BtfType struct, String component) {
        List<String> names = new ArrayList<>(List.of(component, snakeCase(component)));
        if (component.endsWith("_")) {
            names.add(component.substring(0, component.length() - 1));
        }
        for (String name : names) {
            java.util.Optional<Located> found = find(btf, struct, name, 0);
            if (found.isPresent()) {
                return found;
            }
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<Located> find(Btf btf, BtfType struct, String name, long base) {
        for (BtfType.Member m : members(struct)) {
            if (m.name().equals(name)) {
                return java.util.Optional.of(new Located(m, base + m.bitOffset()));
            }
        }
        for (BtfType.Member m : members(struct)) {
            BtfType inner = btf.resolve(m.typeId());
            if (m.name().isEmpty() && (inner instanceof BtfType.Struct || inner instanceof BtfType.Union)) {
                java.util.Optional<Located> found = find(btf, inner, name, base + m.bitOffset());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static List<BtfType.Member> members(BtfType type) {
        return type instanceof BtfType.Struct s ? s.members() : ((BtfType.Union) type).members();
    }

    private static String memberNames(Btf btf, BtfType struct) {
        return members(struct).stream()
                .map(m -> m.name().isEmpty() ? "(anonymous: " + memberNames(btf, btf.resolve(m.typeId())) + ")"
                        : m.name())
                .collect(Collectors.joining(", "));
    }

    private static String snakeCase(String name) {
        StringBuilder s = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                s.append('_').append(Character.toLowerCase(c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    // ---- parts ------------------------------------------------------------------------------------------------

    private static Part part(Btf btf, Class<?> java, int typeId, long bitOffset, int bits, String where,
            String within) {
        BtfType c = btf.resolve(typeId);
        String cType = btf.describe(typeId);
        if (bits > 0) {
            return bitfield(java, c, bitOffset, bits, where, cType);
        }
        if (bitOffset % 8 != 0) {
            throw new IllegalArgumentException(where + " does not start on a byte (bit offset " + bitOffset + ")");
        }
        int offset = (int) (bitOffset / 8);
        if (java.isPrimitive() || java == String.class) {
            return scalar(java, c, offset, where, cType);
        }
        if (java == byte[].class && c instanceof BtfType.Int wide && wide.size() == 16) {
            return codecPart(Codecs.bytes(16), offset); // __int128: its 16 bytes, as generated records keep it
        }
        if (java.isArray()) {
            if (!(c instanceof BtfType.Array array)) {
                throw mismatch(where, java, cType, "an array maps to a C array");
            }
            return array(btf, java, array, offset, where, cType, within);
        }
        if (java.isRecord()) {
            if (!(c instanceof BtfType.Struct) && !(c instanceof BtfType.Union)) {
                throw mismatch(where, java, cType, "a record maps to a struct or a union");
            }
            Codec<?> nested = nestedCodec(java, btf, typeId, within);
            return codecPart(nested, offset);
        }
        throw mismatch(where, java, cType, "use a primitive, String, an array or a record");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Codec<?> nestedCodec(Class<?> java, Btf btf, int typeId, String within) {
        return new BtfRecordCodec(java.asSubclass(Record.class), btf, typeId, within);
    }

    @SuppressWarnings("unchecked")
    private static <T> Part codecPart(Codec<T> codec, int offset) {
        return new Part() {
            @Override
            public Object read(ByteBuffer buffer, int base) {
                return codec.decode(buffer, base + offset);
            }

            @Override
            public void write(Object value, ByteBuffer buffer, int base) {
                codec.encode((T) value, buffer, base + offset);
            }
        };
    }

    private static Part scalar(Class<?> java, BtfType c, int offset, String where, String cType) {
        if (java == String.class) {
            if (c instanceof BtfType.Array a && a.length() > 0) {
                return codecPart(Codecs.string(a.length()), offset);
            }
            throw mismatch(where, java, cType, "a String maps to a char array");
        }
        if (java == float.class || java == double.class) {
            if (c instanceof BtfType.Float f && (f.size() == 4 || (f.size() == 8 && java == double.class))) {
                return f.size() == 4 ? new Part() {
                    @Override
                    public Object read(ByteBuffer buffer, int base) {
                        float v = buffer.getFloat(base + offset);
                        return java == float.class ? (Object) v : (Object) (double) v;
                    }

                    @Override
                    public void write(Object value, ByteBuffer buffer, int base) {
                        buffer.putFloat(base + offset, ((Number) value).floatValue());
                    }
                } : codecPart(Codecs.F64, offset);
            }
            throw mismatch(where, java, cType, "float maps to a 4-byte C float, double to float or double");
        }
        int size;
        boolean signed;
        if (c instanceof BtfType.Int i) {
            size = i.size();
            signed = i.signed();
        } else if (c instanceof BtfType.Enum e) {
            size = e.size();
            signed = e.signed();
        } else if (c instanceof BtfType.Pointer) {
            size = 8;
            signed = false;
        } else {
            throw mismatch(where, java, cType, "a " + java + " maps to a C integer, enum or pointer");
        }
        // Any C integer is a boolean (non-zero is true); other types take C integers as wide as they are or less.
        if ((java != boolean.class && size > javaSize(java)) || (size != 1 && size != 2 && size != 4 && size != 8)) {
            throw mismatch(where, java, cType, "it is " + size + " bytes: use " + wideEnough(size));
        }
        return integer(java, offset, size, signed);
    }

    private static Part integer(Class<?> java, int offset, int size, boolean signed) {
        return new Part() {
            @Override
            public Object read(ByteBuffer buffer, int base) {
                int at = base + offset;
                long v = switch (size) {
                    case 1 -> signed ? buffer.get(at) : buffer.get(at) & 0xffL;
                    case 2 -> signed ? buffer.getShort(at) : buffer.getShort(at) & 0xffffL;
                    case 4 -> signed ? buffer.getInt(at) : buffer.getInt(at) & 0xffffffffL;
                    default -> buffer.getLong(at);
                };
                return box(java, v);
            }

            @Override
            public void write(Object value, ByteBuffer buffer, int base) {
                long v = unbox(value);
                int at = base + offset;
                switch (size) {
                    case 1 -> buffer.put(at, (byte) v);
                    case 2 -> buffer.putShort(at, (short) v);
                    case 4 -> buffer.putInt(at, (int) v);
                    default -> buffer.putLong(at, v);
                }
            }
        };
    }

    private static Part bitfield(Class<?> java, BtfType c, long bitOffset, int bits, String where, String cType) {
        boolean signed = c instanceof BtfType.Int i ? i.signed() : c instanceof BtfType.Enum e && e.signed();
        if (!(c instanceof BtfType.Int) && !(c instanceof BtfType.Enum)) {
            throw mismatch(where, java, cType, "a bit field maps to a primitive");
        }
        if (!java.isPrimitive() || java == float.class || java == double.class || java == char.class
                || (java != boolean.class && javaSize(java) * 8 < bits)) {
            throw mismatch(where, java, cType + " : " + bits, "it is a bit field of " + bits + " bits: use "
                    + (bits == 1 ? "boolean or " : "") + wideEnough((bits + 7) / 8));
        }
        int offset = (int) bitOffset;
        return new Part() {
            @Override
            public Object read(ByteBuffer buffer, int base) {
                return box(java, Bitfields.get(buffer, base, offset, bits, signed));
            }

            @Override
            public void write(Object value, ByteBuffer buffer, int base) {
                try {
                    Bitfields.put(buffer, base, offset, bits, signed, unbox(value));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
        };
    }

    private static Part array(Btf btf, Class<?> java, BtfType.Array array, int offset, String where, String cType,
            String within) {
        Class<?> element = java.getComponentType();
        int length = array.length();
        int stride = (int) btf.sizeOf(array.elementTypeId());
        if (element == byte.class && btf.resolve(array.elementTypeId()) instanceof BtfType.Int i && i.size() == 1) {
            return codecPart(Codecs.bytes(length), offset);
        }
        Part each = part(btf, element, array.elementTypeId(), 0, 0, where + " element", within);
        return new Part() {
            @Override
            public Object read(ByteBuffer buffer, int base) {
                Object result = Array.newInstance(element, length);
                for (int i = 0; i < length; i++) {
                    Array.set(result, i, each.read(buffer, base + offset + i * stride));
                }
                return result;
            }

            @Override
            public void write(Object value, ByteBuffer buffer, int base) {
                int given = Array.getLength(value);
                if (given != length) {
                    throw new IllegalArgumentException(where + ": an array of " + given + " elements for " + cType
                            + ", which has " + length);
                }
                for (int i = 0; i < length; i++) {
                    each.write(Array.get(value, i), buffer, base + offset + i * stride);
                }
            }
        };
    }

    // ---- Java values ------------------------------------------------------------------------------------------

    /** The bytes a Java integer type holds; 0 for the types that hold no C integer (char). */
    private static int javaSize(Class<?> java) {
        if (java == byte.class) {
            return 1;
        }
        if (java == short.class) {
            return 2;
        }
        return java == int.class ? 4 : java == long.class ? 8 : 0;
    }

    private static String wideEnough(int size) {
        return size <= 1 ? "byte (or wider)" : size <= 2 ? "short (or wider)" : size <= 4 ? "int or long" : "long";
    }

    private static Object box(Class<?> java, long v) {
        if (java == boolean.class) {
            return v != 0;
        }
        if (java == byte.class) {
            return (byte) v;
        }
        if (java == short.class) {
            return (short) v;
        }
        return java == int.class ? (Object) (int) v : (Object) v;
    }

    private static long unbox(Object value) {
        return value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).longValue();
    }

    private static IllegalArgumentException mismatch(String where, Class<?> java, String cType, String rule) {
        return new IllegalArgumentException(where + " is " + java.getSimpleName() + ", which cannot hold C "
                + cType + ": " + rule);
    }

    // ---- reflection, once -------------------------------------------------------------------------------------

    private static MethodHandle unreflect(RecordComponent component) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return MethodHandles.lookup().unreflect(accessor);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw inaccessible(component.getDeclaringRecord(), e);
        }
    }

    private static MethodHandle constructor(Class<?> type, Class<?>[] parameterTypes) {
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(parameterTypes);
            canonical.setAccessible(true);
            return MethodHandles.lookup().unreflectConstructor(canonical)
                    .asSpreader(Object[].class, parameterTypes.length);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw inaccessible(type, e);
        }
    }

    private static IllegalArgumentException inaccessible(Class<?> type, Exception e) {
        return new IllegalArgumentException("record " + type.getName() + " cannot be used by a codec: " + e
                + (type.getModule().isNamed() ? String.format(Locale.ROOT, "; open its package to the runtime "
                        + "(module-info: opens %s to io.github.bpf2java.ebpf;)", type.getPackageName()) : ""), e);
    }
}
