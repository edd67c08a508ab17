package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What each C type becomes in Java, and the runtime codec that reads and writes it. One table for map keys and
 * values, global variables, record components and union members:
 *
 * <ul>
 *   <li>integers: the Java integer of the same width, bits unchanged ({@code __u32} is {@code int}; see
 *       {@link Codecs} for the unsigned rule); {@code bool} is {@code boolean}; 128-bit integers are 16 bytes;</li>
 *   <li>{@code float}, {@code double}: themselves; {@code long double} is raw bytes;</li>
 *   <li>pointers: {@code long}, the address;</li>
 *   <li>{@code char name[N]}: {@link String}; other arrays: Java arrays of the element's type, nested for
 *       multi-dimensional arrays; arrays of bytes are {@code byte[]};</li>
 *   <li>structs and unions: generated records; enums: generated enums (raw numbers inside arrays).</li>
 * </ul>
 */
final class TypeMapping {
    private static final ClassName CODECS = ClassName.get(Codecs.class);

    /** The Java form of a C value. */
    enum Shape { BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, ENUM, RECORD, STRING, ARRAY }

    /**
     * One C type in Java.
     *
     * @param type     the Java type
     * @param codec    an expression of the runtime {@code Codec} for it
     * @param shape    its form
     * @param size     {@code sizeof} the C type
     * @param unsigned whether an integer is unsigned (pointers are not called unsigned: they are addresses)
     * @param pointer  whether it is a pointer
     */
    record JavaType(TypeName type, CodeBlock codec, Shape shape, int size, boolean unsigned, boolean pointer) {
        /** The type for generic positions: primitives boxed. */
        TypeName boxed() {
            return type.isPrimitive() ? type.box() : type;
        }

        /** Whether the Java type is a primitive. */
        boolean primitive() {
            return type.isPrimitive();
        }

        /** Whether it is an array or byte array, compared by content. */
        boolean array() {
            return type instanceof ArrayTypeName;
        }
    }

    private final Btf btf;
    private final BiFunction<Integer, String, Optional<ClassName>> records;

    /**
     * @param records the record or enum for a struct, union or enum type id (generated on request), given a name
     *                hint for anonymous types
     */
    TypeMapping(Btf btf, BiFunction<Integer, String, Optional<ClassName>> records) {
        this.btf = btf;
        this.records = records;
    }

    /**
     * Whether type {@code typeId} is a pointer the program keeps a kernel object in ({@code __kptr},
     * {@code __kptr_untrusted}, {@code __percpu_kptr}: a {@code btf_type_tag} on the pointee). The kernel shows such
     * a field to user space as 0, and releases the object when user space writes the value.
     */
    boolean isKernelObjectPointer(int typeId) {
        if (!(btf.resolve(typeId) instanceof BtfType.Pointer pointer)) {
            return false;
        }
        BtfType target = btf.type(pointer.targetId());
        while (target instanceof BtfType.Qualifier q) {
            if (q.kind() == BtfType.QualifierKind.TYPE_TAG && q.name().contains("kptr")) {
                return true;
            }
            target = btf.type(q.targetId());
        }
        return false;
    }

    /**
     * The Java form of type {@code typeId}; empty for what has no value (void, functions, forward declarations,
     * flexible arrays), whose bytes a caller shows raw if it has a size.
     *
     * @param hint a name for anonymous types, e.g. the map or member they belong to
     */
    Optional<JavaType> of(int typeId, String hint) {
        BtfType type = btf.resolve(typeId);
        if (type instanceof BtfType.Int i) {
            return Optional.of(integer(i));
        }
        if (type instanceof BtfType.Pointer) {
            return Optional.of(new JavaType(TypeName.LONG, codecs("U64"), Shape.LONG, 8, false, true));
        }
        if (type instanceof BtfType.Float f) {
            return Optional.of(switch (f.size()) {
                case 4 -> new JavaType(TypeName.FLOAT, codecs("F32"), Shape.FLOAT, 4, false, false);
                case 8 -> new JavaType(TypeName.DOUBLE, codecs("F64"), Shape.DOUBLE, 8, false, false);
                default -> bytes(f.size());
            });
        }
        if (type instanceof BtfType.Enum e && btf.hasTruncatedEnumValues(e.id())) {
            // BTF cut its enumerators to 32 bits (clang's enum e : __u64): a Java enum of them would name wrong
            // numbers, so the member is the 8-byte number it is.
            return Optional.of(new JavaType(TypeName.LONG, codecs(e.signed() ? "S64" : "U64"), Shape.LONG, 8,
                    !e.signed(), false));
        }
        if (type instanceof BtfType.Enum e) {
            ClassName name = records.apply(typeId, hint).orElseThrow();
            return Optional.of(new JavaType(name, CodeBlock.of("$T.CODEC", name), Shape.ENUM, e.size(), !e.signed(),
                    false));
        }
        if (type instanceof BtfType.Struct || type instanceof BtfType.Union) {
            ClassName name = records.apply(typeId, hint).orElseThrow();
            return Optional.of(new JavaType(name, CodeBlock.of("$T.CODEC", name), Shape.RECORD,
                    (int) btf.sizeOf(typeId), false, false));
        }
        if (type instanceof BtfType.Array a) {
            return array(a, hint);
        }
        return Optional.empty();
    }

    /**
     * For an array (of arrays) of unsigned integers that is not a string ({@code __u32[8]} becomes {@code int[]},
     * whose elements keep the bits): the JDK method that reads an element as the number C means, as a Javadoc link
     * target ({@code Integer#toUnsignedLong(int)}); else empty.
     */
    Optional<String> unsignedElementWidener(int typeId) {
        BtfType type = btf.resolve(typeId);
        if (!(type instanceof BtfType.Array)) {
            return Optional.empty();
        }
        while (type instanceof BtfType.Array a) {
            if (isChar(a.elementTypeId())) {
                return Optional.empty();
            }
            type = btf.resolve(a.elementTypeId());
        }
        if (!(type instanceof BtfType.Int i) || i.signed() || i.isBool() || i.bits() != i.size() * 8
                || i.bitOffset() != 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (i.size()) {
            case 1 -> "Byte#toUnsignedInt(byte)";
            case 2 -> "Short#toUnsignedInt(short)";
            case 4 -> "Integer#toUnsignedLong(int)";
            case 8 -> "Long#toUnsignedString(long)";
            default -> null;
        });
    }

    /** Whether {@code typeId} is plain {@code char}, which arrays of make strings. */
    boolean isChar(int typeId) {
        return btf.resolve(typeId) instanceof BtfType.Int i && i.size() == 1 && i.bits() == 8 && i.bitOffset() == 0
                && !i.isBool() && (i.isChar() || i.name().equals("char"));
    }

    /**
     * Whether {@code typeId} could hold text though it is not {@code char}: a one-dimensional array of at least 8
     * whole one-byte integers ({@code __u8 comm[16]}). Shorter ones are addresses and tags ({@code __u8 addr[4]}).
     */
    boolean mayHoldText(int typeId) {
        return btf.resolve(typeId) instanceof BtfType.Array a && a.length() >= 8 && !isChar(a.elementTypeId())
                && btf.resolve(a.elementTypeId()) instanceof BtfType.Int i && i.size() == 1 && i.bits() == 8
                && i.bitOffset() == 0 && !i.isBool();
    }

    /**
     * The width in bytes of a value C keeps in network byte order, known by the kernel's typedefs {@code __be16},
     * {@code __be32} and {@code __be64} (through further typedefs and qualifiers), or 0 for any other type.
     */
    int networkOrderWidth(int typeId) {
        BtfType type = btf.type(typeId);
        for (int hops = 0; hops < 16; hops++) {
            if (type instanceof BtfType.Typedef t) {
                switch (t.name()) {
                    case "__be16" -> {
                        return 2;
                    }
                    case "__be32" -> {
                        return 4;
                    }
                    case "__be64" -> {
                        return 8;
                    }
                    default -> type = btf.type(t.targetId());
                }
            } else if (type instanceof BtfType.Qualifier q) {
                type = btf.type(q.targetId());
            } else {
                return 0;
            }
        }
        return 0;
    }

    private JavaType integer(BtfType.Int i) {
        boolean plain = i.bits() == i.size() * 8 && i.bitOffset() == 0;
        if (!plain) {
            return bytes(i.size());
        }
        if (i.isBool() && i.size() == 1) {
            return new JavaType(TypeName.BOOLEAN, codecs("BOOL"), Shape.BOOLEAN, 1, false, false);
        }
        boolean unsigned = !i.signed() && !i.isBool();
        String sign = unsigned ? "U" : "S";
        return switch (i.size()) {
            case 1 -> new JavaType(TypeName.BYTE, codecs(sign + "8"), Shape.BYTE, 1, unsigned, false);
            case 2 -> new JavaType(TypeName.SHORT, codecs(sign + "16"), Shape.SHORT, 2, unsigned, false);
            case 4 -> new JavaType(TypeName.INT, codecs(sign + "32"), Shape.INT, 4, unsigned, false);
            case 8 -> new JavaType(TypeName.LONG, codecs(sign + "64"), Shape.LONG, 8, unsigned, false);
            default -> bytes(i.size());
        };
    }

    private Optional<JavaType> array(BtfType.Array a, String hint) {
        int n = a.length();
        if (n == 0) {
            return Optional.empty();
        }
        int size = (int) btf.sizeOf(a.id());
        if (isChar(a.elementTypeId())) {
            return Optional.of(new JavaType(ClassName.get(String.class), CodeBlock.of("$T.string($L)", CODECS, n),
                    Shape.STRING, size, false, false));
        }
        BtfType element = btf.resolve(a.elementTypeId());
        String primitive = null;
        TypeName primitiveType = null;
        if (element instanceof BtfType.Int i && i.bits() == i.size() * 8 && i.bitOffset() == 0) {
            if (i.isBool() && i.size() == 1) {
                primitive = "booleans";
                primitiveType = TypeName.BOOLEAN;
            } else {
                primitive = integerArray(i.size());
                primitiveType = integerType(i.size());
            }
        } else if (element instanceof BtfType.Enum e) {
            // Raw numbers: an array of a Java enum could not keep the values the C enum does not name.
            primitive = integerArray(e.size());
            primitiveType = integerType(e.size());
        } else if (element instanceof BtfType.Float f && (f.size() == 4 || f.size() == 8)) {
            primitive = f.size() == 4 ? "floats" : "doubles";
            primitiveType = f.size() == 4 ? TypeName.FLOAT : TypeName.DOUBLE;
        } else if (element instanceof BtfType.Pointer) {
            primitive = "longs";
            primitiveType = TypeName.LONG;
        }
        if (primitive != null) {
            return Optional.of(new JavaType(ArrayTypeName.of(primitiveType),
                    CodeBlock.of("$T.$L($L)", CODECS, primitive, n), Shape.ARRAY, size, false, false));
        }
        Optional<JavaType> inner = of(a.elementTypeId(), hint);
        JavaType e = inner.orElseGet(() -> bytes((int) btf.sizeOf(a.elementTypeId())));
        if (e.size() == 0) {
            return Optional.empty();
        }
        TypeName elementType = e.boxed();
        return Optional.of(new JavaType(ArrayTypeName.of(elementType),
                CodeBlock.of("$T.array($L, $L, $T[]::new)", CODECS, e.codec(), n, elementType), Shape.ARRAY, size,
                false, false));
    }

    /**
     * The Java form of global variable {@code variable}: its BTF type's, or its bytes when it has no type or one of
     * another size than the variable.
     */
    JavaType ofVariable(VariableSpec variable) {
        return (variable.typeId() == 0 ? Optional.<JavaType>empty() : of(variable.typeId(), variable.name()))
                .filter(m -> m.size() == variable.size())
                .orElseGet(() -> bytes(variable.size()));
    }

    /** Raw bytes of {@code size}: what a type with no better Java form becomes. */
    static JavaType bytes(int size) {
        return new JavaType(ArrayTypeName.of(TypeName.BYTE), CodeBlock.of("$T.bytes($L)", CODECS, size), Shape.ARRAY,
                size, false, false);
    }

    private static String integerArray(int size) {
        return switch (size) {
            case 1 -> "bytes";
            case 2 -> "shorts";
            case 4 -> "ints";
            case 8 -> "longs";
            default -> null;
        };
    }

    private static TypeName integerType(int size) {
        return switch (size) {
            case 1 -> TypeName.BYTE;
            case 2 -> TypeName.SHORT;
            case 4 -> TypeName.INT;
            case 8 -> TypeName.LONG;
            default -> null;
        };
    }

    private static CodeBlock codecs(String constant) {
        return CodeBlock.of("$T.$L", CODECS, constant);
    }
}
