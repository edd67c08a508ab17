package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.codec.Bitfields;
import io.github.bpf2java.ebpf.codec.CEnum;
import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.codec.EnumCodec;
import io.github.bpf2java.ebpf.codec.NetworkOrder;
import io.github.bpf2java.maven.naming.JavaNames;
import io.github.bpf2java.maven.naming.NameScope;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Generates Java records for BTF structs and unions and Java enums for BTF enums, nested in the object's class.
 * Each carries {@code SIZE} and a {@code CODEC} that reads and writes it at the exact BTF offsets through the
 * runtime's codecs ({@link Codecs}, {@link Bitfields}); nothing of the codecs is copied into the generated class.
 *
 * <ul>
 *   <li>struct members become components in declaration order; members of anonymous struct members are lifted
 *       into the record, as C lets code reach them; padding is zeroed on encode;</li>
 *   <li>bit fields are components of their declared type's width, read and written where BTF places them, in the
 *       buffer's byte order;</li>
 *   <li>enum members keep the raw number (a value the C enum does not name survives a round trip), with an
 *       {@code xEnum()} accessor beside it; unsigned integers get an {@code xUnsigned()} accessor widening them;</li>
 *   <li>unions keep their bytes, with an {@code asX()} reader and an {@code ofX(...)} factory per member;</li>
 *   <li>what has no faithful Java form (unaligned members, {@code long double}) is raw bytes of the right size,
 *       with the C declaration in the Javadoc, never a guess.</li>
 * </ul>
 */
final class RecordGenerator {
    private static final ClassName BYTE_BUFFER = ClassName.get(ByteBuffer.class);
    private static final ClassName BYTE_ORDER = ClassName.get(ByteOrder.class);
    private static final ClassName CODEC = ClassName.get(Codec.class);
    private static final ClassName CODECS = ClassName.get(Codecs.class);
    private static final ClassName BITFIELDS = ClassName.get(Bitfields.class);
    /** Names a record's components must not take: its own methods. */
    private static final Set<String> RECORD_RESERVED = Set.of("encode", "decode", "equals", "hashCode", "toString",
            "getClass", "notify", "notifyAll", "wait", "clone", "finalize");
    /**
     * The name of the class of each record's {@code CODEC}, nested in the record; no generated record or enum takes
     * it, so that it cannot hide one.
     */
    static final String CODEC_CLASS = "RecordCodec";
    private static final ClassName NETWORK_ORDER = ClassName.get(NetworkOrder.class);
    // cilium/ebpf's examples keep text in __u8 arrays (u8 comm[16]); they stay byte[] here, since most byte arrays
    // are addresses or raw data, and their Javadoc points to the conversion.
    private static final String BYTE_ARRAY_TEXT = "; if it holds a C string, {@link "
            + "io.github.bpf2java.ebpf.codec.Codecs#cString(byte[]) Codecs.cString} reads it and {@link "
            + "io.github.bpf2java.ebpf.codec.Codecs#cStringBytes(String, int) Codecs.cStringBytes} makes one";
    /** Names a record's static fields must not take. */
    private static final Set<String> STATIC_RESERVED = Set.of("SIZE", "CODEC");

    private final Btf btf;
    private final ClassName outer;
    private final NameScope typeNames;
    private final AnnotationSpec generated;
    private final TypeMapping mapping;
    private final Map<Integer, ClassName> named = new LinkedHashMap<>();
    private final Map<Integer, String> nameHints = new LinkedHashMap<>();
    private final Deque<Integer> pending = new ArrayDeque<>();
    private final List<TypeSpec> generatedTypes = new ArrayList<>();

    RecordGenerator(Btf btf, ClassName outer, NameScope typeNames, AnnotationSpec generated) {
        this.btf = btf;
        this.outer = outer;
        this.typeNames = typeNames;
        this.generated = generated;
        this.mapping = new TypeMapping(btf, this::request);
    }

    /** What C types become in Java, generating records and enums on the way. */
    TypeMapping mapping() {
        return mapping;
    }

    /**
     * The record or enum for type {@code typeId} (typedefs and qualifiers followed), queued for generation; empty
     * when the type is not a struct, union or enum.
     *
     * @param hint a name for an anonymous type, e.g. the map or field it belongs to
     */
    Optional<ClassName> request(int typeId, String hint) {
        int id = underlying(typeId);
        BtfType type = btf.type(id);
        if (!(type instanceof BtfType.Struct || type instanceof BtfType.Union || type instanceof BtfType.Enum)
                || btf.hasTruncatedEnumValues(id)) {
            // An enum whose enumerators BTF cut to 32 bits would name wrong numbers: it stays a number.
            return Optional.empty();
        }
        ClassName existing = named.get(id);
        if (existing != null) {
            return Optional.of(existing);
        }
        Optional<String> typedef = type.name().isEmpty() ? typedefName(typeId) : Optional.empty();
        String cName = type.name().isEmpty() ? typedef.orElse(hint) : type.name();
        ClassName name = outer.nestedClass(typeNames.allocate(JavaNames.typeName(cName)));
        named.put(id, name);
        nameHints.put(id, type.name().isEmpty() ? typedef.map(t -> "(anonymous, typedef " + t + ")")
                .orElse("(anonymous, in " + hint.replace('_', '.') + ")") : cName);
        pending.add(id);
        return Optional.of(name);
    }

    /** Generates everything requested, including the types those need, in request order. */
    List<TypeSpec> generate() {
        while (!pending.isEmpty()) {
            int id = pending.poll();
            BtfType type = btf.type(id);
            ClassName name = named.get(id);
            if (type instanceof BtfType.Enum e) {
                generatedTypes.add(enumType(name, e));
            } else if (type instanceof BtfType.Struct s) {
                generatedTypes.add(structRecord(name, "struct " + nameHints.get(id), s.size(), s.members()));
            } else if (type instanceof BtfType.Union u) {
                generatedTypes.add(unionRecord(name, "union " + nameHints.get(id), u));
            }
        }
        return List.copyOf(generatedTypes);
    }

    /** The type id behind typedefs and qualifiers. */
    private int underlying(int typeId) {
        int id = typeId;
        for (int steps = 0; steps < 64; steps++) {
            BtfType t = btf.type(id);
            if (t instanceof BtfType.Typedef d) {
                id = d.targetId();
            } else if (t instanceof BtfType.Qualifier q) {
                id = q.targetId();
            } else {
                return id;
            }
        }
        return btf.resolve(typeId).id();
    }

    /** The outermost typedef name on the way to an anonymous type, e.g. {@code foo_t} for a typedef'd struct. */
    private Optional<String> typedefName(int typeId) {
        BtfType t = btf.type(typeId);
        for (int steps = 0; steps < 64; steps++) {
            if (t instanceof BtfType.Typedef d) {
                return Optional.of(d.name());
            } else if (t instanceof BtfType.Qualifier q) {
                t = btf.type(q.targetId());
            } else {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * C text as {@code {@code ...}} that cannot break the Javadoc: braces (anonymous types print as
     * {@code struct {...}}) and comment ends are replaced.
     */
    static String code(String cText) {
        return "{@code " + javadocText(cText.replace("{", "(").replace("}", ")")) + "}";
    }

    /** Text from the object (a section name, a macro's value) made safe in Javadoc: no comment end, no tag. */
    static String javadocText(String text) {
        return text.replace("*/", "* /").replace("@", "&#64;");
    }

    // ---- enums -------------------------------------------------------------------------------------------------

    private TypeSpec enumType(ClassName name, BtfType.Enum e) {
        String cName = "enum " + nameHints.get(e.id());
        TypeSpec.Builder type = TypeSpec.enumBuilder(name).addModifiers(Modifier.PUBLIC)
                .addAnnotation(generated)
                .addSuperinterface(CEnum.class)
                .addJavadoc("C $L ($L, $L). A value the C enum does not name reads as {@link #$L}.\n",
                        code(cName), Sizes.bytes(e.size()), e.signed() ? "signed" : "unsigned", "UNRECOGNIZED");
        NameScope constants = new NameScope(Set.of("CODEC"));
        for (BtfType.EnumValue v : e.values()) {
            String constant = constants.allocate(JavaNames.constantName(v.name()));
            type.addEnumConstant(constant, TypeSpec.anonymousClassBuilder("$LL", v.value())
                    .addJavadoc("{@code $L} = $L.\n", v.name(), v.value()).build());
        }
        String unrecognized = constants.allocate("UNRECOGNIZED");
        type.addEnumConstant(unrecognized, TypeSpec.anonymousClassBuilder("0L")
                .addJavadoc("A value {@code $L} does not name; it has no {@link #value()}.\n", cName).build());
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(EnumCodec.class), name), "CODEC",
                        Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Reads and writes {@code $L}: $L, $L.\n", cName, Sizes.bytes(e.size()),
                        e.signed() ? "signed" : "unsigned")
                .initializer("$T.enumeration($L, $L, values(), $N)", CODECS, e.size(), e.signed(), unrecognized)
                .build());
        type.addField(FieldSpec.builder(TypeName.LONG, "value", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("The C value; 0, unused, for {@link #$L}.\n", unrecognized).build());
        type.addMethod(MethodSpec.constructorBuilder().addParameter(TypeName.LONG, "value")
                .addJavadoc("A constant of C value {@code value}.\n\n@param value the C value\n")
                .addStatement("this.value = value").build());
        type.addMethod(MethodSpec.methodBuilder("value").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeName.LONG)
                .addJavadoc("The C value.\n\n@return the number this constant stands for in C\n"
                        + "@throws IllegalStateException for {@link #$L}\n", unrecognized)
                .beginControlFlow("if (this == $N)", unrecognized)
                .addStatement("throw new $T($S)", IllegalStateException.class, unrecognized + " has no C value")
                .endControlFlow()
                .addStatement("return value").build());
        type.addMethod(MethodSpec.methodBuilder("of").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(name)
                .addJavadoc("The constant with C value {@code value}.\n\n@param value a C value of the enum's type\n"
                        + "@return its constant; {@link #$L} for a value the C enum does not name\n", unrecognized)
                .addParameter(TypeName.LONG, "value")
                .addStatement("return CODEC.of(value)").build());
        return type.build();
    }

    // ---- structs -----------------------------------------------------------------------------------------------

    /**
     * One record component: its type, how the codec reads and writes it, its documentation and extra methods; for
     * a C enum kept as its raw number, the generated enum ({@code null} otherwise).
     */
    private record Component(String name, TypeName type, CodeBlock decode, CodeBlock encode, String doc,
            List<MethodSpec> extras, List<FieldSpec> fields, ClassName enumType, CodeBlock shown) {
        Component(String name, TypeName type, CodeBlock decode, CodeBlock encode, String doc, List<MethodSpec> extras,
                List<FieldSpec> fields) {
            this(name, type, decode, encode, doc, extras, fields, null, null);
        }

        Component(String name, TypeName type, CodeBlock decode, CodeBlock encode, String doc, List<MethodSpec> extras,
                List<FieldSpec> fields, ClassName enumType) {
            this(name, type, decode, encode, doc, extras, fields, enumType, null);
        }
    }

    /** The names used in one record: components and methods share one scope, static fields another. */
    private static final class Scopes {
        final NameScope members;
        final NameScope statics = new NameScope(STATIC_RESERVED);

        Scopes(String... reserved) {
            Set<String> all = new HashSet<>(RECORD_RESERVED);
            all.addAll(List.of(reserved));
            members = new NameScope(all);
        }
    }

    private TypeSpec structRecord(ClassName name, String cName, int size, List<BtfType.Member> members) {
        Scopes scopes = new Scopes();
        List<Component> components = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        addMembers(components, skipped, scopes, name.simpleName(), members, 0);
        return record(name, cName, size, components, skipped, trailingArrayOffset(members));
    }

    /**
     * The offset of the struct's last member when that member is an array: programs send such a struct cut after
     * the elements they filled, and the codec's {@code minimumSize()} lets the readers take it.
     */
    private OptionalInt trailingArrayOffset(List<BtfType.Member> members) {
        return members.stream().max(Comparator.comparingLong(BtfType.Member::bitOffset))
                .filter(last -> last.bitfieldSize() == 0 && last.bitOffset() % 8 == 0
                        && btf.resolve(last.typeId()) instanceof BtfType.Array array && array.length() > 0)
                .map(last -> OptionalInt.of((int) (last.bitOffset() / 8))).orElse(OptionalInt.empty());
    }

    private void addMembers(List<Component> out, List<String> skipped, Scopes scopes, String owner,
            List<BtfType.Member> members, long baseBits) {
        for (BtfType.Member m : members) {
            long bitOffset = baseBits + m.bitOffset();
            BtfType type = btf.resolve(m.typeId());
            if (m.name().isEmpty() && type instanceof BtfType.Struct s) {
                // C lets code reach an anonymous struct's members directly; so does the record.
                addMembers(out, skipped, scopes, owner, s.members(), bitOffset);
                continue;
            }
            String cName = m.name().isEmpty() ? (type instanceof BtfType.Union ? "union" : "anonymous") : m.name();
            String javaName = scopes.members.allocate(JavaNames.memberName(cName));
            String decl = code(btf.describe(m.typeId()) + " " + (m.name().isEmpty() ? "(anonymous)" : m.name()));
            Component c = component(javaName, owner + "_" + cName, m, type, bitOffset, decl, scopes);
            if (c != null) {
                out.add(c);
            } else {
                skipped.add(decl);
            }
        }
    }

    private Component component(String name, String hint, BtfType.Member m, BtfType type, long bitOffset,
            String decl, Scopes scopes) {
        int offset = (int) (bitOffset / 8);
        boolean bitfield = m.bitfieldSize() > 0
                || (type instanceof BtfType.Int i && (i.bits() != i.size() * 8 || i.bitOffset() != 0));
        if (bitfield) {
            return bitfield(name, hint, m, type, bitOffset, decl, scopes);
        }
        long cSize = btf.sizeOf(m.typeId());
        if (bitOffset % 8 != 0) {
            return cSize > 0 ? raw(name, offset, (int) cSize, decl + " at bit " + bitOffset
                    + ", not byte aligned: its raw bytes", scopes) : null;
        }
        String at = decl + " at offset " + offset;
        Optional<TypeMapping.JavaType> mapped = mapping.of(m.typeId(), hint);
        if (mapped.isEmpty()) {
            return cSize > 0 ? raw(name, offset, (int) cSize, at + ": its raw bytes", scopes) : null;
        }
        TypeMapping.JavaType t = mapped.get();
        if (mapping.isKernelObjectPointer(m.typeId())) {
            // Not an address the program stored: the kernel hides the object from user space.
            at += ", a kernel object the program keeps (__kptr): user space reads 0 here, and writing the value "
                    + "through the map releases the object";
            t = new TypeMapping.JavaType(t.type(), t.codec(), t.shape(), t.size(), false, false);
        }
        return switch (t.shape()) {
            case BOOLEAN -> new Component(name, TypeName.BOOLEAN,
                    CodeBlock.of("buffer.get($L) != 0", at(offset)),
                    CodeBlock.of("buffer.put($L, (byte) (value.$N ? 1 : 0))", at(offset), name), at, List.of(),
                    List.of());
            case SHORT, INT, LONG -> {
                int width = mapping.networkOrderWidth(m.typeId());
                yield width == t.size() ? networkOrder(name, t, offset, at, scopes) : scalar(name, t, offset, at,
                        scopes);
            }
            case BYTE, FLOAT, DOUBLE -> scalar(name, t, offset, at, scopes);
            case ENUM -> enumMember(name, t, offset, at, scopes);
            case RECORD -> new Component(name, t.type(), CodeBlock.of("$T.CODEC.decode(buffer, $L)",
                    t.type(), at(offset)), CodeBlock.of("$T.CODEC.encode(value.$N, buffer, $L)", t.type(),
                    name, at(offset)), at, List.of(), List.of());
            case STRING -> viaCodec(name, t, offset, at + ", a UTF-8 string of at most " + Sizes.bytes(t.size())
                    + ", NUL-terminated when shorter (longer ones are refused on encode; bytes that are not UTF-8 read"
                    + " as U+FFFD)", scopes);
            case ARRAY -> viaCodec(name, t, offset, at + mapping.unsignedElementWidener(m.typeId())
                    .map(widener -> ", its elements unsigned: see {@link " + widener + "}").orElse("")
                    + (mapping.mayHoldText(m.typeId()) ? BYTE_ARRAY_TEXT : ""), scopes);
        };
    }

    private Component scalar(String name, TypeMapping.JavaType t, int offset, String at, Scopes scopes) {
        String accessor = switch (t.shape()) {
            case BYTE -> "";
            case SHORT -> "Short";
            case INT -> "Int";
            case LONG -> "Long";
            case FLOAT -> "Float";
            default -> "Double";
        };
        String doc = at + (t.pointer() ? ", a pointer: the address as the program stored it" : "")
                + (t.unsigned() ? ", unsigned" + (t.shape() == TypeMapping.Shape.LONG
                        ? ": see {@link Long#toUnsignedString(long)}, {@link Long#compareUnsigned(long, long)}"
                        : ": see {@link #" + name + "Unsigned()}") : "");
        List<MethodSpec> extras = new ArrayList<>();
        // toString shows what C means: an unsigned number from 0 up, an address in hex.
        CodeBlock shown = null;
        if (t.pointer()) {
            shown = CodeBlock.of("\"0x\" + $T.toHexString(this.$N)", Long.class, name);
        } else if (t.unsigned() && t.shape() == TypeMapping.Shape.LONG) {
            shown = CodeBlock.of("$T.toUnsignedString(this.$N)", Long.class, name);
        } else if (t.unsigned()) {
            String unsigned = scopes.members.allocate(JavaNames.derivedName(name, "Unsigned"));
            extras.add(unsignedAccessor(unsigned, CodeBlock.of("this.$N", name), t.shape(), name));
            shown = CodeBlock.of("this.$N()", unsigned);
        }
        return new Component(name, t.type(), CodeBlock.of("buffer.get$L($L)", accessor, at(offset)),
                CodeBlock.of("buffer.put$L($L, value.$N)", accessor, at(offset), name), doc, extras, List.of(), null,
                shown);
    }

    /**
     * A {@code __be16}, {@code __be32} or {@code __be64} member: read like any integer, so its bits are the memory's,
     * with {@code xHostOrder()} for the number it stands for instead of {@code xUnsigned()}, which would be the
     * byte-swapped number on a little-endian host.
     */
    private Component networkOrder(String name, TypeMapping.JavaType t, int offset, String at, Scopes scopes) {
        String accessor = t.shape() == TypeMapping.Shape.SHORT ? "Short" : t.shape() == TypeMapping.Shape.INT ? "Int"
                : "Long";
        String hostOrder = scopes.members.allocate(JavaNames.derivedName(name, "HostOrder"));
        String doc = at + ", in network byte order (big-endian) whatever the host's: {@link #" + hostOrder
                + "()} gives its number" + (t.shape() == TypeMapping.Shape.INT ? ", {@link NetworkOrder#toInet4Address"
                + "(int)} the IPv4 address it may hold" : "") + "; {@link NetworkOrder} converts back";
        TypeName wide = t.shape() == TypeMapping.Shape.SHORT ? TypeName.INT : TypeName.LONG;
        CodeBlock value = switch (t.shape()) {
            case SHORT -> CodeBlock.of("$T.toUnsignedInt($T.toHost(this.$N))", Short.class, NETWORK_ORDER, name);
            case INT -> CodeBlock.of("$T.toUnsignedLong($T.toHost(this.$N))", Integer.class, NETWORK_ORDER, name);
            default -> CodeBlock.of("$T.toHost(this.$N)", NETWORK_ORDER, name);
        };
        MethodSpec host = MethodSpec.methodBuilder(hostOrder).addModifiers(Modifier.PUBLIC).returns(wide)
                .addJavadoc("{@code $L} as the number C means: the big-endian bytes read in network order$L.\n\n"
                        + "@return the value, from 0 to $L\n", name, t.shape() == TypeMapping.Shape.LONG
                                ? " (unsigned: see {@link Long#toUnsignedString(long)})" : "",
                        t.shape() == TypeMapping.Shape.SHORT ? "65535" : t.shape() == TypeMapping.Shape.INT
                                ? "4294967295" : "2^64 - 1")
                .addStatement("return $L", value)
                .build();
        // toString prints the number, as a debugger would want it, not its byte-swapped bits.
        return new Component(name, t.type(), CodeBlock.of("buffer.get$L($L)", accessor, at(offset)),
                CodeBlock.of("buffer.put$L($L, value.$N)", accessor, at(offset), name), doc, List.of(host),
                List.of(), null, CodeBlock.of("this.$N()", hostOrder));
    }

    /** {@code xUnsigned()}: an unsigned byte, short or int widened to the next Java type. */
    static MethodSpec unsignedAccessor(String method, CodeBlock value, TypeMapping.Shape shape, String what) {
        TypeName wide = shape == TypeMapping.Shape.INT ? TypeName.LONG : TypeName.INT;
        Class<?> box = switch (shape) {
            case BYTE -> Byte.class;
            case SHORT -> Short.class;
            default -> Integer.class;
        };
        return MethodSpec.methodBuilder(method).addModifiers(Modifier.PUBLIC).returns(wide)
                .addJavadoc("{@code $L} as the unsigned number C sees.\n\n@return the value, from 0 to $L\n", what,
                        UnsignedSetter.max(shape))
                .addStatement("return $T.toUnsigned$L($L)", box, shape == TypeMapping.Shape.INT ? "Long" : "Int",
                        value)
                .build();
    }

    private Component enumMember(String name, TypeMapping.JavaType t, int offset, String at, Scopes scopes) {
        TypeName raw = integerType(t.size());
        String accessor = accessorSuffix(t.size());
        ClassName enumType = (ClassName) t.type();
        String enumAccessor = scopes.members.allocate(JavaNames.derivedName(name, "Enum"));
        MethodSpec method = MethodSpec.methodBuilder(enumAccessor).addModifiers(Modifier.PUBLIC).returns(enumType)
                .addJavadoc("{@code $L} as {@link $T}.\n\n@return the constant of that value; {@code UNRECOGNIZED}"
                        + " for a value the enum does not name\n", name, enumType)
                .addStatement("return $T.of($L)", enumType, widen(CodeBlock.of("this.$N", name), t.size(),
                        !t.unsigned()))
                .build();
        // toString shows an unsigned enum's number from 0 up, as its codec reads it.
        CodeBlock shown = !t.unsigned() ? null : t.size() == Long.BYTES
                ? CodeBlock.of("$T.toUnsignedString(this.$N)", Long.class, name)
                : widen(CodeBlock.of("this.$N", name), t.size(), false);
        return new Component(name, raw, CodeBlock.of("buffer.get$L($L)", accessor, at(offset)),
                CodeBlock.of("buffer.put$L($L, value.$N)", accessor, at(offset), name),
                at + ", the raw value of {@link " + enumType.simpleName() + "}: see {@link #" + enumAccessor + "()}",
                List.of(method), List.of(), enumType, shown);
    }

    private Component viaCodec(String name, TypeMapping.JavaType t, int offset, String doc, Scopes scopes) {
        String constant = scopes.statics.allocate(JavaNames.constantName(name) + "_CODEC");
        FieldSpec field = FieldSpec.builder(ParameterizedTypeName.get(CODEC, t.boxed()), constant, Modifier.PRIVATE,
                Modifier.STATIC, Modifier.FINAL).addJavadoc("Reads and writes {@link #$N()}.\n", name)
                .initializer("$L", t.codec()).build();
        return new Component(name, t.type(), CodeBlock.of("$N.decode(buffer, $L)", constant, at(offset)),
                CodeBlock.of("$N.encode(value.$N, buffer, $L)", constant, name, at(offset)), doc, List.of(),
                List.of(field));
    }

    private Component raw(String name, int offset, int size, String doc, Scopes scopes) {
        return viaCodec(name, TypeMapping.bytes(size), offset, doc + " (" + Sizes.bytes(size) + ")", scopes);
    }

    private Component bitfield(String name, String hint, BtfType.Member m, BtfType type, long bitOffset,
            String decl, Scopes scopes) {
        int bits = m.bitfieldSize() > 0 ? m.bitfieldSize() : ((BtfType.Int) type).bits();
        long start = bitOffset + (type instanceof BtfType.Int i && m.bitfieldSize() == 0 ? i.bitOffset() : 0);
        boolean signed = type instanceof BtfType.Int i ? i.signed() : type instanceof BtfType.Enum e && e.signed();
        int size = type instanceof BtfType.Int i ? i.size() : type instanceof BtfType.Enum e ? e.size() : 8;
        boolean bool = type instanceof BtfType.Int i && i.isBool();
        String doc = decl + ", a bit field of " + bits + " bit" + (bits == 1 ? "" : "s") + " at bit " + start
                + (signed || bool ? "" : ", unsigned");
        CodeBlock read = CodeBlock.of("$T.get(buffer, offset, $L, $L, $L)", BITFIELDS, start, bits, signed);
        if (bool) {
            return new Component(name, TypeName.BOOLEAN, CodeBlock.of("$L != 0", read),
                    CodeBlock.of("$T.put(buffer, offset, $L, $L, value.$N ? 1 : 0)", BITFIELDS, start, bits, name),
                    doc, List.of(), List.of());
        }
        int javaSize = size <= 1 ? 1 : size == 2 ? 2 : size <= 4 ? 4 : 8;
        TypeName javaType = integerType(javaSize);
        CodeBlock decode = javaSize == 8 ? read : CodeBlock.of("($T) $L", javaType, read);
        // With the field's signedness, so that Bitfields refuses exactly what the C field cannot hold.
        CodeBlock encode = CodeBlock.of("$T.put(buffer, offset, $L, $L, $L, value.$N)", BITFIELDS, start, bits, signed,
                name);
        List<MethodSpec> extras = new ArrayList<>();
        Optional<ClassName> enumClass = type instanceof BtfType.Enum ? request(m.typeId(), hint) : Optional.empty();
        if (enumClass.isPresent()) {
            ClassName enumType = enumClass.get();
            String enumAccessor = scopes.members.allocate(JavaNames.derivedName(name, "Enum"));
            extras.add(MethodSpec.methodBuilder(enumAccessor).addModifiers(Modifier.PUBLIC).returns(enumType)
                    .addJavadoc("{@code $L} as {@link $T}.\n\n@return the constant of that value;"
                            + " {@code UNRECOGNIZED} for a value the enum does not name\n", name, enumType)
                    .addStatement("return $T.of($L)", enumType, signed ? CodeBlock.of("this.$N", name)
                            : widen(CodeBlock.of("this.$N", name), javaSize, false))
                    .build());
            doc += ", the raw value of {@link " + enumType.simpleName() + "}: see {@link #" + enumAccessor + "()}";
        } else if (!signed && javaSize < 8) {
            // The field's bits are zero-extended into the Java type; only a field as wide as it can look negative.
            TypeMapping.Shape shape = javaSize == 1 ? TypeMapping.Shape.BYTE : javaSize == 2 ? TypeMapping.Shape.SHORT
                    : TypeMapping.Shape.INT;
            if (bits == javaSize * 8) {
                String unsigned = scopes.members.allocate(JavaNames.derivedName(name, "Unsigned"));
                extras.add(unsignedAccessor(unsigned, CodeBlock.of("this.$N", name), shape, name));
                doc += ": see {@link #" + unsigned + "()}";
            }
        }
        return new Component(name, javaType, decode, encode, doc, extras, List.of(), enumClass.orElse(null));
    }

    // ---- unions ------------------------------------------------------------------------------------------------

    private TypeSpec unionRecord(ClassName name, String cName, BtfType.Union u) {
        Scopes scopes = new Scopes("bytes", "view");
        int size = u.size();
        TypeSpec.Builder type = TypeSpec.recordBuilder(name).addModifiers(Modifier.PUBLIC).addAnnotation(generated)
                .addJavadoc("C $L, $L, kept as its bytes in the object's byte order (this host's): a union holds"
                        + " one member at a time, and only the program knows which. Read it as a member with the"
                        + " member's accessor, make one from a member with the {@code ofMember(...)} factories.\n\n"
                        + "@param bytes the union's $L\n", code(cName), Sizes.bytes(size), Sizes.bytes(size))
                .recordConstructor(MethodSpec.constructorBuilder()
                        .addParameter(ArrayTypeName.of(TypeName.BYTE), "bytes").build());
        type.addMethod(MethodSpec.compactConstructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("The union of exactly these bytes, copied.\n\n@param bytes the union's $L\n"
                        + "@throws IllegalArgumentException when {@code bytes} has another length\n",
                        Sizes.bytes(size))
                .beginControlFlow("if (bytes.length != SIZE)")
                .addStatement("throw new $T($S + bytes.length)", IllegalArgumentException.class,
                        cName + " has " + size + " bytes, not ")
                .endControlFlow()
                .addStatement("bytes = bytes.clone()").build());
        type.addField(FieldSpec.builder(TypeName.INT, "SIZE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("{@code sizeof($L)}.\n", cName).initializer("$L", size).build());
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(CODEC, name), "CODEC", Modifier.PUBLIC,
                        Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Reads and writes {@code $L}.\n", cName)
                .initializer("new $T()", name.nestedClass(CODEC_CLASS)).build());
        type.addType(codecClass(name, cName, size, OptionalInt.empty(),
                CodeBlock.of("new $T(BYTES_CODEC.decode(buffer, offset))", name),
                CodeBlock.builder().addStatement("BYTES_CODEC.encode(value.bytes, buffer, offset)").build()));
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(CODEC, ArrayTypeName.of(TypeName.BYTE)),
                scopes.statics.allocate("BYTES_CODEC"), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Reads and writes the union's {@link #SIZE} bytes as they are.\n")
                .initializer("$T.bytes(SIZE)", CODECS).build());
        type.addMethod(MethodSpec.methodBuilder("bytes").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(ArrayTypeName.of(TypeName.BYTE))
                .addJavadoc("The union's bytes.\n\n@return a copy of the union's {@link #SIZE} bytes\n")
                .addStatement("return bytes.clone()").build());
        type.addMethod(MethodSpec.methodBuilder("view").addModifiers(Modifier.PRIVATE).returns(BYTE_BUFFER)
                .addJavadoc("The union's bytes to read a member from.\n\n"
                        + "@return a buffer over the bytes themselves, in this host's byte order\n")
                .addStatement("return $T.wrap(bytes).order($T.nativeOrder())", BYTE_BUFFER, BYTE_ORDER).build());
        for (BtfType.Member m : u.members()) {
            BtfType memberType = btf.resolve(m.typeId());
            String cMember = m.name().isEmpty() ? (memberType instanceof BtfType.Struct ? "struct" : "member")
                    : m.name();
            String decl = code(btf.describe(m.typeId()) + " " + (m.name().isEmpty() ? "(anonymous)" : m.name()));
            if (m.bitfieldSize() > 0 || m.bitOffset() != 0) {
                type.addJavadoc("\n<p>Member $L is a bit field: read it from {@link #bytes()}.\n", decl);
                continue;
            }
            Optional<TypeMapping.JavaType> mapped = mapping.of(m.typeId(), name.simpleName() + "_" + cMember);
            if (mapped.isEmpty() || mapped.get().size() > size || mapped.get().size() == 0) {
                type.addJavadoc("\n<p>Member $L has no Java form: read it from {@link #bytes()}.\n", decl);
                continue;
            }
            TypeMapping.JavaType t = mapped.get();
            String constant = scopes.statics.allocate(JavaNames.constantName(cMember) + "_CODEC");
            type.addField(FieldSpec.builder(ParameterizedTypeName.get(CODEC, t.boxed()), constant, Modifier.PRIVATE,
                    Modifier.STATIC, Modifier.FINAL).addJavadoc("Reads and writes member $L.\n", decl)
                    .initializer("$L", t.codec()).build());
            // A member called like the union's own bytes() (C's `__u8 bytes[16]` beside `__u32 v4` is common)
            // says what it is rather than taking a number.
            String wanted = JavaNames.memberName(cMember);
            String accessor = scopes.members.allocate(scopes.members.isTaken(wanted) ? wanted + "Member" : wanted);
            type.addMethod(MethodSpec.methodBuilder(accessor)
                    .addModifiers(Modifier.PUBLIC).returns(t.type())
                    .addJavadoc("The first $L read as member $L.\n\n@return the member's value\n",
                            Sizes.bytes(t.size()), decl)
                    .addStatement("return $N.decode(view(), 0)", constant).build());
            type.addMethod(MethodSpec.methodBuilder(scopes.members.allocate("of" + JavaNames.typeName(cMember)))
                    .addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(name)
                    .addJavadoc("The union holding {@code value} as member $L, the bytes after it zero.\n\n"
                            + "@param value the member's value\n@return the union of that member\n", decl)
                    .addParameter(t.type(), "value")
                    .addStatement("$T bytes = new byte[SIZE]", ArrayTypeName.of(TypeName.BYTE))
                    .addStatement("$N.encode(value, $T.wrap(bytes).order($T.nativeOrder()), 0)", constant,
                            BYTE_BUFFER, BYTE_ORDER)
                    .addStatement("return new $T(bytes)", name).build());
        }
        addConveniences(type, name);
        addValueMethods(type, name, List.of(new Component("bytes", ArrayTypeName.of(TypeName.BYTE), null, null, "",
                List.of(), List.of())));
        return type.build();
    }

    // ---- records -----------------------------------------------------------------------------------------------

    private TypeSpec record(ClassName name, String cName, int size, List<Component> components,
            List<String> skipped, OptionalInt minimumSize) {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
        StringBuilder javadoc = new StringBuilder("C " + code(cName) + ", " + Sizes.bytes(size) + ", in the object's"
                + " byte order (this host's). Arrays and strings must fit their C size to be encoded.\n");
        for (String s : skipped) {
            javadoc.append("\n<p>Not a component: ").append(s).append(", a flexible array or a member without a size."
                    + " Read it from the bytes after {@link #SIZE}: a typed reader hands out only the record, so open a"
                    + " ring buffer or perf event array with a {@code RecordHandler}, which sees every byte of each"
                    + " record, and decode the fixed part with {@link #CODEC}.\n");
        }
        javadoc.append('\n');
        for (Component c : components) {
            constructor.addParameter(ParameterSpec.builder(c.type(), c.name()).build());
            javadoc.append("@param ").append(c.name()).append(' ').append(c.doc()).append('\n');
        }
        TypeSpec.Builder type = TypeSpec.recordBuilder(name).addModifiers(Modifier.PUBLIC).addAnnotation(generated)
                .recordConstructor(constructor.build())
                .addJavadoc("$L", javadoc.toString());
        type.addField(FieldSpec.builder(TypeName.INT, "SIZE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("{@code sizeof($L)}.\n", cName).initializer("$L", size).build());
        CodeBlock.Builder args = CodeBlock.builder();
        for (int i = 0; i < components.size(); i++) {
            args.add(i == 0 ? "\n$L" : ",\n$L", components.get(i).decode());
        }
        CodeBlock.Builder encode = CodeBlock.builder()
                .addStatement("$T.zero(buffer, offset, SIZE)", CODECS);
        for (Component c : components) {
            if (!c.type().isPrimitive()) {
                // Else the codec's NullPointerException would name neither the member nor the record.
                encode.addStatement("$T.requireNonNull(value.$N,$W$S)", Objects.class, c.name(),
                        c.name() + " of " + cName + " is null");
            }
            encode.addStatement("$L", c.encode());
        }
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(CODEC, name), "CODEC", Modifier.PUBLIC,
                        Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Reads and writes {@code $L}; padding is zeroed on write.\n", cName)
                .initializer("new $T()", name.nestedClass(CODEC_CLASS)).build());
        type.addType(codecClass(name, cName, size, minimumSize, CodeBlock.of("new $T($L)", name, args.build()),
                encode.build()));
        for (Component c : components) {
            c.fields().forEach(type::addField);
        }
        addConveniences(type, name);
        enumConstructor(cName, components).ifPresent(type::addMethod);
        for (Component c : components) {
            c.extras().forEach(type::addMethod);
        }
        boolean arrays = components.stream().anyMatch(c -> c.type() instanceof ArrayTypeName);
        if (arrays) {
            addContentEquality(type, name, components);
        }
        if (arrays || components.stream().anyMatch(c -> c.shown() != null)) {
            addToString(type, name, components);
        }
        return type.build();
    }

    /**
     * For a record with C enum members, which it keeps as raw numbers (a value the enum does not name survives a
     * round trip), a second constructor taking those members as enum constants, so that a map key can be written
     * {@code new TrafficKey(id, Direction.EGRESS)} rather than with a cast of {@code value()}.
     */
    private static Optional<MethodSpec> enumConstructor(String cName, List<Component> components) {
        if (components.stream().noneMatch(c -> c.enumType() != null)) {
            return Optional.empty();
        }
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("A {@code $L} with its enum members given as constants, each stored as its C value.\n\n",
                        cName);
        CodeBlock.Builder args = CodeBlock.builder();
        for (int i = 0; i < components.size(); i++) {
            Component c = components.get(i);
            args.add(i == 0 ? "" : ",$W");
            if (c.enumType() == null) {
                constructor.addParameter(c.type(), c.name())
                        .addJavadoc("@param $L $L\n", c.name(), c.doc());
                args.add("$N", c.name());
            } else {
                constructor.addParameter(c.enumType(), c.name())
                        .addJavadoc("@param $L the constant of {@link $T} to store\n", c.name(), c.enumType());
                if (c.type().equals(TypeName.LONG)) {
                    args.add("$N.value()", c.name());
                } else {
                    args.add("($T) $N.value()", c.type(), c.name());
                }
            }
        }
        return Optional.of(constructor
                .addJavadoc("@throws IllegalStateException when a constant is {@code UNRECOGNIZED}, which has no C"
                        + " value\n")
                .addStatement("this($L)", args.build()).build());
    }

    /**
     * The class of a record's {@code CODEC}, nested in the record: {@code decode} returns {@code decoded},
     * {@code encode} runs, and {@code toString} names the C type in the style of the runtime's codecs
     * ({@code Codec[__u32]}), with its size: {@code Codec[struct event, 104 bytes]}. A named class rather than an
     * anonymous one: stack traces show {@code Event$RecordCodec}, and JDK 17's javadoc and doclint want a comment on an
     * anonymous class's implicit constructor, which source cannot give.
     */
    private static TypeSpec codecClass(ClassName name, String cName, int size, OptionalInt minimumSize,
            CodeBlock decoded, CodeBlock encode) {
        MethodSpec.Builder encodeMethod = MethodSpec.methodBuilder("encode").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(name, "value").addParameter(BYTE_BUFFER, "buffer").addParameter(TypeName.INT, "offset")
                .addCode(encode);
        String description = "Codec[" + cName + ", " + Sizes.bytes(size) + "]";
        TypeSpec.Builder codec = TypeSpec.classBuilder(CODEC_CLASS)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(CODEC, name))
                .addJavadoc("Reads and writes {@code $L} at the offsets BTF gives.\n", cName)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                        .addJavadoc("The one instance is {@link $T#CODEC}.\n", name).build())
                .addMethod(MethodSpec.methodBuilder("size").addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC).returns(TypeName.INT).addStatement("return SIZE").build())
                .addMethod(MethodSpec.methodBuilder("decode").addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC).returns(name)
                        .addParameter(BYTE_BUFFER, "buffer").addParameter(TypeName.INT, "offset")
                        .addStatement("return $L", decoded).build())
                .addMethod(encodeMethod.build())
                .addMethod(MethodSpec.methodBuilder("toString").addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC).returns(String.class)
                        .addStatement("return $S", description).build());
        minimumSize.ifPresent(offset -> codec.addMethod(MethodSpec.methodBuilder("minimumSize")
                .addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(TypeName.INT)
                .addJavadoc("The offset of the trailing array: a record cut inside it decodes with the rest zero.\n"
                        + "\n@return $L\n", offset)
                .addStatement("return $L", offset).build()));
        return codec.build();
    }

    /** {@code decode(byte[])} and {@code encode()}: the record from and to exactly {@code SIZE} bytes. */
    private static void addConveniences(TypeSpec.Builder type, ClassName name) {
        type.addMethod(MethodSpec.methodBuilder("decode").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(name)
                .addJavadoc("Reads exactly {@link #SIZE} bytes in this host's byte order.\n\n"
                        + "@param bytes the C value's bytes\n"
                        + "@return the value they hold\n"
                        + "@throws IllegalArgumentException when {@code bytes} has another length\n")
                .addParameter(ArrayTypeName.of(TypeName.BYTE), "bytes")
                .addStatement("return $T.fromBytes(CODEC, bytes)", CODECS).build());
        type.addMethod(MethodSpec.methodBuilder("encode").addModifiers(Modifier.PUBLIC)
                .returns(ArrayTypeName.of(TypeName.BYTE))
                .addJavadoc("The {@link #SIZE} bytes of this value in this host's byte order, padding zeroed.\n\n"
                        + "@return a new array of the C value's bytes\n"
                        + "@throws IllegalArgumentException when an array or string does not fit its C size\n")
                .addStatement("return $T.toBytes(CODEC, this)", CODECS).build());
    }

    /** Records compare arrays by identity; these make them compare, hash and print by content. */
    private static void addValueMethods(TypeSpec.Builder type, ClassName name, List<Component> components) {
        addContentEquality(type, name, components);
        addToString(type, name, components);
    }

    /** {@code equals} and {@code hashCode} comparing arrays by content. */
    private static void addContentEquality(TypeSpec.Builder type, ClassName name, List<Component> components) {
        CodeBlock.Builder equals = CodeBlock.builder().add("return other instanceof $T that", name);
        CodeBlock.Builder hash = CodeBlock.builder();
        for (int i = 0; i < components.size(); i++) {
            Component c = components.get(i);
            TypeName t = c.type();
            boolean objectArray = t instanceof ArrayTypeName a && !a.componentType().isPrimitive();
            equals.add("\n&& ");
            if (t instanceof ArrayTypeName) {
                equals.add(objectArray ? "$T.deepEquals(this.$N, that.$N)" : "$T.equals(this.$N, that.$N)",
                        Arrays.class, c.name(), c.name());
            } else if (t.equals(TypeName.FLOAT)) {
                equals.add("$T.compare(this.$N, that.$N) == 0", Float.class, c.name(), c.name());
            } else if (t.equals(TypeName.DOUBLE)) {
                equals.add("$T.compare(this.$N, that.$N) == 0", Double.class, c.name(), c.name());
            } else if (t.isPrimitive()) {
                equals.add("this.$N == that.$N", c.name(), c.name());
            } else {
                equals.add("$T.equals(this.$N, that.$N)", Objects.class, c.name(), c.name());
            }
            CodeBlock hashOf = t instanceof ArrayTypeName
                    ? CodeBlock.of(objectArray ? "$T.deepHashCode(this.$N)" : "$T.hashCode(this.$N)", Arrays.class,
                            c.name())
                    : CodeBlock.of("this.$N", c.name());
            hash.add(i == 0 ? "$L" : ",$W$L", hashOf);
        }
        type.addMethod(MethodSpec.methodBuilder("equals").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN).addParameter(Object.class, "other")
                .addStatement("$L", equals.build()).build());
        type.addMethod(MethodSpec.methodBuilder("hashCode").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(TypeName.INT)
                .addStatement("return $T.hash($L)", Objects.class, hash.build()).build());
    }

    /**
     * {@code toString} printing arrays by content, unsigned members as unsigned numbers, pointers in hex and
     * network-order members as their numbers.
     */
    private static void addToString(TypeSpec.Builder type, ClassName name, List<Component> components) {
        CodeBlock.Builder string = CodeBlock.builder().add("return $S", name.simpleName() + "[");
        for (int i = 0; i < components.size(); i++) {
            Component c = components.get(i);
            TypeName t = c.type();
            boolean objectArray = t instanceof ArrayTypeName a && !a.componentType().isPrimitive();
            CodeBlock shown = c.shown() != null ? c.shown() : t instanceof ArrayTypeName
                    ? CodeBlock.of(objectArray ? "$T.deepToString(this.$N)" : "$T.toString(this.$N)", Arrays.class,
                            c.name())
                    : CodeBlock.of("this.$N", c.name());
            string.add("$W+ $S + $L", (i == 0 ? "" : ", ") + c.name() + "=", shown);
        }
        string.add("$W+ $S", "]");
        MethodSpec.Builder toString = MethodSpec.methodBuilder("toString").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(String.class);
        if (components.stream().anyMatch(c -> c.shown() != null)) {
            toString.addJavadoc("Names each member with its value as C means it: unsigned members from 0 up, pointers "
                    + "in hex, members in network byte order as the numbers they stand for (as their "
                    + "{@code xHostOrder()} methods give them).\n\n@return this value as text\n");
        }
        type.addMethod(toString.addStatement("$L", string.build()).build());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static TypeName integerType(int size) {
        return switch (size) {
            case 1 -> TypeName.BYTE;
            case 2 -> TypeName.SHORT;
            case 4 -> TypeName.INT;
            default -> TypeName.LONG;
        };
    }

    private static String accessorSuffix(int size) {
        return switch (size) {
            case 1 -> "";
            case 2 -> "Short";
            case 4 -> "Int";
            default -> "Long";
        };
    }

    /** Where a member at {@code offset} starts: {@code offset + n}, or {@code offset} itself for the first. */
    private static CodeBlock at(int offset) {
        return offset == 0 ? CodeBlock.of("offset") : CodeBlock.of("offset + $L", offset);
    }

    /** {@code value}, a C integer of {@code size} bytes held in its Java type, as the {@code long} C sees. */
    static CodeBlock widen(CodeBlock value, int size, boolean signed) {
        if (signed || size == 8) {
            return value;
        }
        return switch (size) {
            case 1 -> CodeBlock.of("$T.toUnsignedLong($L)", Byte.class, value);
            case 2 -> CodeBlock.of("$T.toUnsignedLong($L)", Short.class, value);
            default -> CodeBlock.of("$T.toUnsignedLong($L)", Integer.class, value);
        };
    }
}
