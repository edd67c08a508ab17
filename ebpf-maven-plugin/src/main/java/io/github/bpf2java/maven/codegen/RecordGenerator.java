package io.github.bpf2java.maven.codegen;

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
import io.github.bpf2java.maven.naming.JavaNames;
import io.github.bpf2java.maven.naming.NameScope;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Generates Java records for BTF structs and unions and Java enums for BTF enums, nested in the object's class.
 * Every field is read and written at its exact BTF offset; padding is skipped on decode and zeroed on encode. What
 * cannot be mapped faithfully (unions, nested arrays, 128-bit integers) becomes raw bytes of the right size, with
 * the C declaration in the Javadoc, never a guess.
 */
final class RecordGenerator {
    private static final ClassName BYTE_BUFFER = ClassName.get(ByteBuffer.class);
    private static final ClassName BYTE_ORDER = ClassName.get(ByteOrder.class);
    /** Names a record's components must not take: its own methods, and the outer class's helpers it calls. */
    private static final Set<String> RECORD_RESERVED = Set.of("encode", "decode", "equals", "hashCode", "toString",
            "getClass", "notify", "notifyAll", "wait", "clone", "finalize", "getBytes", "putBytes", "getBits",
            "putBits", "getStructs", "putStructs", "checkLength", "checkRemaining", "getShorts", "putShorts",
            "getInts", "putInts", "getLongs", "putLongs", "getFloats", "putFloats", "getDoubles", "putDoubles");

    private final Btf btf;
    private final ClassName outer;
    private final NameScope typeNames;
    private final CodecHelpers helpers;
    private final Map<Integer, ClassName> named = new LinkedHashMap<>();
    private final Map<Integer, String> nameHints = new LinkedHashMap<>();
    private final Deque<Integer> pending = new ArrayDeque<>();
    private final List<TypeSpec> generated = new ArrayList<>();

    RecordGenerator(Btf btf, ClassName outer, NameScope typeNames, CodecHelpers helpers) {
        this.btf = btf;
        this.outer = outer;
        this.typeNames = typeNames;
        this.helpers = helpers;
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
        if (!(type instanceof BtfType.Struct || type instanceof BtfType.Union || type instanceof BtfType.Enum)) {
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
                .orElse("(anonymous, " + hint.replace('_', '.') + ")") : cName);
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
                generated.add(enumType(name, e));
            } else if (type instanceof BtfType.Struct s) {
                generated.add(structRecord(name, "struct " + nameHints.get(id), s.size(), s.members()));
            } else if (type instanceof BtfType.Union u) {
                generated.add(unionRecord(name, u));
            }
        }
        return List.copyOf(generated);
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
        return "{@code " + cText.replace("{", "(").replace("}", ")").replace("*/", "* /") + "}";
    }

    // ---- enums ----

    private TypeSpec enumType(ClassName name, BtfType.Enum e) {
        TypeSpec.Builder type = TypeSpec.enumBuilder(name).addModifiers(Modifier.PUBLIC)
                .addJavadoc("C {@code enum $L} ($L bytes, $L). Unknown values map to an empty {@link #of}.\n",
                        nameHints.get(e.id()), e.size(),
                        e.signed() ? "signed" : "unsigned");
        NameScope constants = new NameScope(Set.of());
        for (BtfType.EnumValue v : e.values()) {
            String constant = constants.allocate(JavaNames.constantName(v.name()));
            type.addEnumConstant(constant, TypeSpec.anonymousClassBuilder("$LL", v.value())
                    .addJavadoc("{@code $L} = $L.\n", v.name(), v.value()).build());
        }
        type.addField(TypeName.LONG, "value", Modifier.PRIVATE, Modifier.FINAL);
        type.addMethod(MethodSpec.constructorBuilder().addParameter(TypeName.LONG, "value")
                .addStatement("this.value = value").build());
        type.addMethod(MethodSpec.methodBuilder("value").addModifiers(Modifier.PUBLIC).returns(TypeName.LONG)
                .addJavadoc("The C value.\n").addStatement("return value").build());
        type.addMethod(MethodSpec.methodBuilder("of").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ParameterizedTypeName.get(ClassName.get(Optional.class), name))
                .addJavadoc("The constant with C value {@code value}; empty for values this enum does not name.\n")
                .addParameter(TypeName.LONG, "value")
                .beginControlFlow("for ($T constant : values())", name)
                .beginControlFlow("if (constant.value == value)")
                .addStatement("return $T.of(constant)", Optional.class)
                .endControlFlow()
                .endControlFlow()
                .addStatement("return $T.empty()", Optional.class).build());
        return type.build();
    }

    // ---- records ----

    /** How two values of a component are compared in the generated {@code equals}. */
    private enum Equality { PRIMITIVE, FLOAT, DOUBLE, OBJECT, ARRAY }

    /** One record component: its type, how it is read and written, and its documentation. */
    private record Component(String name, TypeName type, CodeBlock decode, CodeBlock encode, String doc,
            Equality equality, List<MethodSpec> extras) {}

    private TypeSpec unionRecord(ClassName name, BtfType.Union u) {
        String cName = "union " + nameHints.get(u.id());
        StringBuilder doc = new StringBuilder("The raw bytes; a union has no single layout. Members:");
        for (BtfType.Member m : u.members()) {
            doc.append(' ').append(code(btf.describe(m.typeId()) + " " + m.name()));
        }
        Component bytes = rawComponent("bytes", 0, u.size(), doc.toString());
        return record(name, cName, u.size(), List.of(bytes));
    }

    private TypeSpec structRecord(ClassName name, String cName, int size, List<BtfType.Member> members) {
        NameScope scope = new NameScope(RECORD_RESERVED);
        List<Component> components = new ArrayList<>();
        addMembers(components, scope, name.simpleName(), members, 0);
        return record(name, cName, size, components);
    }

    private void addMembers(List<Component> out, NameScope scope, String owner, List<BtfType.Member> members,
            long baseBits) {
        for (BtfType.Member m : members) {
            long bitOffset = baseBits + m.bitOffset();
            BtfType type = btf.resolve(m.typeId());
            if (m.name().isEmpty() && type instanceof BtfType.Struct s) {
                // C lets code reach an anonymous struct's fields directly; so does the record.
                addMembers(out, scope, owner, s.members(), bitOffset);
                continue;
            }
            String cName = m.name().isEmpty() ? (type instanceof BtfType.Union ? "union" : "anonymous") : m.name();
            String javaName = scope.allocate(JavaNames.memberName(cName));
            String decl = code(btf.describe(m.typeId()) + " " + (m.name().isEmpty() ? "(anonymous)" : m.name()));
            Component c = component(javaName, owner, m, type, bitOffset, decl, scope);
            if (c != null) {
                out.add(c);
            }
        }
    }

    private Component component(String name, String owner, BtfType.Member m, BtfType type, long bitOffset,
            String decl, NameScope scope) {
        int offset = (int) (bitOffset / 8);
        boolean bitfield = m.bitfieldSize() > 0
                || (type instanceof BtfType.Int i && (i.bits() != i.size() * 8 || i.bitOffset() != 0));
        if (bitfield) {
            return bitfield(name, m, type, bitOffset, decl, scope);
        }
        if (bitOffset % 8 != 0) {
            return rawComponent(name, offset, (int) btf.sizeOf(m.typeId()),
                    decl + " at bit " + bitOffset + ", not byte aligned: raw bytes");
        }
        String at = decl + " at offset " + offset;
        if (type instanceof BtfType.Int i) {
            return intComponent(name, i.size(), i.isBool(), offset, at + (i.signed() || i.isBool() ? "" : ", unsigned"),
                    i.size() == 16);
        }
        if (type instanceof BtfType.Enum e) {
            Component c = intComponent(name, e.size(), false, offset, at + ", see {@link "
                    + request(m.typeId(), owner + "_" + m.name()).orElseThrow().simpleName() + "}", false);
            return withEnumAccessor(c, m.typeId(), e, owner, m.name(), scope);
        }
        if (type instanceof BtfType.Float f) {
            if (f.size() == 4 || f.size() == 8) {
                String accessor = f.size() == 4 ? "Float" : "Double";
                return new Component(name, f.size() == 4 ? TypeName.FLOAT : TypeName.DOUBLE,
                        CodeBlock.of("view.get$L($L)", accessor, offset),
                        CodeBlock.of("view.put$L($L, this.$N)", accessor, offset, name), at,
                        f.size() == 4 ? Equality.FLOAT : Equality.DOUBLE, List.of());
            }
            return rawComponent(name, offset, f.size(), at + ": raw bytes");
        }
        if (type instanceof BtfType.Pointer) {
            return new Component(name, TypeName.LONG, CodeBlock.of("view.getLong($L)", offset),
                    CodeBlock.of("view.putLong($L, this.$N)", offset, name), at + ", a pointer: the address",
                    Equality.PRIMITIVE, List.of());
        }
        if (type instanceof BtfType.Struct s) {
            ClassName nested = request(m.typeId(), owner + "_" + m.name()).orElseThrow();
            return new Component(name, nested, CodeBlock.of("$T.decode(view.slice($L, $T.SIZE))", nested, offset,
                    nested), CodeBlock.of("this.$N.encode(view.slice($L, $T.SIZE))", name, offset, nested), at,
                    Equality.OBJECT, List.of());
        }
        if (type instanceof BtfType.Union u) {
            return rawComponent(name, offset, u.size(), at + ", a union: raw bytes");
        }
        if (type instanceof BtfType.Array a) {
            return arrayComponent(name, owner, m, a, offset, at, scope);
        }
        long size = btf.sizeOf(m.typeId());
        return size > 0 ? rawComponent(name, offset, (int) size, at + ": raw bytes") : null;
    }

    private Component intComponent(String name, int size, boolean bool, int offset, String doc, boolean wide) {
        if (bool && size == 1) {
            return new Component(name, TypeName.BOOLEAN, CodeBlock.of("view.get($L) != 0", offset),
                    CodeBlock.of("view.put($L, (byte) (this.$N ? 1 : 0))", offset, name), doc, Equality.PRIMITIVE,
                    List.of());
        }
        return switch (size) {
            case 1 -> new Component(name, TypeName.BYTE, CodeBlock.of("view.get($L)", offset),
                    CodeBlock.of("view.put($L, this.$N)", offset, name), doc, Equality.PRIMITIVE, List.of());
            case 2 -> primitive(name, TypeName.SHORT, "Short", offset, doc);
            case 4 -> primitive(name, TypeName.INT, "Int", offset, doc);
            case 8 -> primitive(name, TypeName.LONG, "Long", offset, doc);
            default -> rawComponent(name, offset, size, doc + (wide ? ", 128-bit: raw bytes" : ": raw bytes"));
        };
    }

    private static Component primitive(String name, TypeName type, String accessor, int offset, String doc) {
        return new Component(name, type, CodeBlock.of("view.get$L($L)", accessor, offset),
                CodeBlock.of("view.put$L($L, this.$N)", accessor, offset, name), doc, Equality.PRIMITIVE, List.of());
    }

    private Component withEnumAccessor(Component c, int typeId, BtfType.Enum e, String owner, String member,
            NameScope scope) {
        if (!(c.type().isPrimitive())) {
            return c;
        }
        ClassName enumType = request(typeId, owner + "_" + member).orElseThrow();
        String accessor = scope.allocate(c.name() + "Enum");
        CodeBlock value = e.signed() || c.type().equals(TypeName.LONG) ? CodeBlock.of("this.$N", c.name())
                : CodeBlock.of("$T.toUnsignedLong(this.$N)", boxed(c.type()), c.name());
        MethodSpec method = MethodSpec.methodBuilder(accessor).addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(ClassName.get(Optional.class), enumType))
                .addJavadoc("{@code $L} as {@link $T}; empty for a value the enum does not name.\n", c.name(),
                        enumType)
                .addStatement("return $T.of($L)", enumType, value).build();
        return new Component(c.name(), c.type(), c.decode(), c.encode(), c.doc(), c.equality(), List.of(method));
    }

    private static TypeName boxed(TypeName primitive) {
        if (primitive.equals(TypeName.BYTE)) {
            return ClassName.get(Byte.class);
        }
        if (primitive.equals(TypeName.SHORT)) {
            return ClassName.get(Short.class);
        }
        return ClassName.get(Integer.class);
    }

    private Component bitfield(String name, BtfType.Member m, BtfType type, long bitOffset, String decl,
            NameScope scope) {
        int bits = m.bitfieldSize() > 0 ? m.bitfieldSize() : ((BtfType.Int) type).bits();
        long start = bitOffset + (type instanceof BtfType.Int i && m.bitfieldSize() == 0 ? i.bitOffset() : 0);
        boolean signed = type instanceof BtfType.Int i ? i.signed() : type instanceof BtfType.Enum e && e.signed();
        String doc = decl + ", bit field of " + bits + " bit(s) at bit " + start + (signed ? "" : ", unsigned");
        String get = helpers.use("getBits");
        String put = helpers.use("putBits");
        int size = type instanceof BtfType.Int i ? i.size() : type instanceof BtfType.Enum e ? e.size() : 8;
        boolean bool = type instanceof BtfType.Int i && i.isBool();
        Component c;
        if (bool) {
            c = new Component(name, TypeName.BOOLEAN, CodeBlock.of("$N(view, $LL, $L, false) != 0", get, start, bits),
                    CodeBlock.of("$N(view, $LL, $L, this.$N ? 1 : 0)", put, start, bits, name), doc,
                    Equality.PRIMITIVE, List.of());
        } else {
            TypeName javaType = size <= 1 ? TypeName.BYTE : size == 2 ? TypeName.SHORT : size <= 4 ? TypeName.INT
                    : TypeName.LONG;
            CodeBlock read = CodeBlock.of("$N(view, $LL, $L, $L)", get, start, bits, signed);
            CodeBlock decode = javaType.equals(TypeName.LONG) ? read : CodeBlock.of("($T) $L", javaType, read);
            c = new Component(name, javaType, decode,
                    CodeBlock.of("$N(view, $LL, $L, this.$N)", put, start, bits, name), doc, Equality.PRIMITIVE,
                    List.of());
        }
        if (type instanceof BtfType.Enum e) {
            return withEnumAccessor(c, m.typeId(), e, name, m.name(), scope);
        }
        return c;
    }

    private Component arrayComponent(String name, String owner, BtfType.Member m, BtfType.Array a, int offset,
            String at, NameScope scope) {
        BtfType element = btf.resolve(a.elementTypeId());
        int n = a.length();
        long total = btf.sizeOf(m.typeId());
        if (n == 0) {
            return null;
        }
        String doc = at + ", " + n + " elements";
        if (element instanceof BtfType.Int i && i.size() == 1 && i.bits() == 8 && i.bitOffset() == 0) {
            String get = helpers.use("getBytes");
            String put = helpers.use("putBytes");
            List<MethodSpec> extras = new ArrayList<>();
            if (i.isChar() || btf.resolve(a.elementTypeId()).name().equals("char")) {
                String accessor = scope.allocate(name + "String");
                extras.add(MethodSpec.methodBuilder(accessor).addModifiers(Modifier.PUBLIC).returns(String.class)
                        .addJavadoc("{@code $L} as a string: the bytes before the first NUL, as UTF-8.\n", name)
                        .addStatement("int length = 0")
                        .beginControlFlow("while (length < this.$N.length && this.$N[length] != 0)", name, name)
                        .addStatement("length++")
                        .endControlFlow()
                        .addStatement("return new $T(this.$N, 0, length, $T.UTF_8)", String.class, name,
                                StandardCharsets.class)
                        .build());
            }
            return new Component(name, ArrayTypeName.of(TypeName.BYTE),
                    CodeBlock.of("$N(view, $L, $L)", get, offset, n),
                    CodeBlock.of("$N(view, $L, this.$N, $L, $S)", put, offset, name, n, name), doc, Equality.ARRAY,
                    extras);
        }
        CodecHelpers.Primitive primitive = null;
        if (element instanceof BtfType.Int i && i.bits() == i.size() * 8 && i.bitOffset() == 0) {
            primitive = switch (i.size()) {
                case 2 -> CodecHelpers.Primitive.SHORT;
                case 4 -> CodecHelpers.Primitive.INT;
                case 8 -> CodecHelpers.Primitive.LONG;
                default -> null;
            };
        } else if (element instanceof BtfType.Enum e) {
            primitive = e.size() == 4 ? CodecHelpers.Primitive.INT : e.size() == 8 ? CodecHelpers.Primitive.LONG
                    : null;
        } else if (element instanceof BtfType.Float f) {
            primitive = f.size() == 4 ? CodecHelpers.Primitive.FLOAT : f.size() == 8 ? CodecHelpers.Primitive.DOUBLE
                    : null;
        } else if (element instanceof BtfType.Pointer) {
            primitive = CodecHelpers.Primitive.LONG;
        }
        if (primitive != null) {
            String get = helpers.use("get" + primitive.plural());
            String put = helpers.use("put" + primitive.plural());
            return new Component(name, ArrayTypeName.of(primitive.type),
                    CodeBlock.of("$N(view, $L, $L)", get, offset, n),
                    CodeBlock.of("$N(view, $L, this.$N, $L, $S)", put, offset, name, n, name), doc, Equality.ARRAY,
                    List.of());
        }
        if (element instanceof BtfType.Struct) {
            ClassName nested = request(a.elementTypeId(), owner + "_" + m.name()).orElseThrow();
            String get = helpers.use("getStructs");
            String put = helpers.use("putStructs");
            return new Component(name, ArrayTypeName.of(nested),
                    CodeBlock.of("$N(view, $L, $L, $T.SIZE, $T::decode, $T[]::new)", get, offset, n, nested, nested,
                            nested),
                    CodeBlock.of("$N(view, $L, $L, $T.SIZE, this.$N, $T::encode, $S)", put, offset, n, nested, name,
                            nested, name), doc, Equality.ARRAY, List.of());
        }
        return rawComponent(name, offset, (int) total, doc + ": raw bytes");
    }

    private Component rawComponent(String name, int offset, int size, String doc) {
        String get = helpers.use("getBytes");
        String put = helpers.use("putBytes");
        return new Component(name, ArrayTypeName.of(TypeName.BYTE), CodeBlock.of("$N(view, $L, $L)", get, offset,
                size), CodeBlock.of("$N(view, $L, this.$N, $L, $S)", put, offset, name, size, name),
                doc + " (" + size + " bytes)", Equality.ARRAY, List.of());
    }

    private TypeSpec record(ClassName name, String cName, int size, List<Component> components) {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
        StringBuilder javadoc = new StringBuilder("C " + code(cName) + ", " + size + " bytes, in the object's byte"
                + " order (this host's). Arrays must keep their C length to be encoded.\n\n");
        for (Component c : components) {
            constructor.addParameter(ParameterSpec.builder(c.type(), c.name()).build());
            javadoc.append("@param ").append(c.name()).append(' ').append(c.doc()).append('\n');
        }
        TypeSpec.Builder type = TypeSpec.recordBuilder(name).addModifiers(Modifier.PUBLIC)
                .recordConstructor(constructor.build())
                .addJavadoc("$L", javadoc.toString());
        type.addField(FieldSpec.builder(TypeName.INT, "SIZE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The size of {@code $L} in bytes.\n", cName).initializer("$L", size).build());

        CodeBlock.Builder args = CodeBlock.builder();
        for (int i = 0; i < components.size(); i++) {
            args.add(i == 0 ? "\n$L" : ",\n$L", components.get(i).decode());
        }
        type.addMethod(MethodSpec.methodBuilder("decode").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(name)
                .addJavadoc("Reads {@link #SIZE} bytes at the buffer's position and advances it.\n\n"
                        + "@throws IllegalArgumentException when fewer bytes remain\n")
                .addParameter(BYTE_BUFFER, "buffer")
                .addStatement("$N(buffer, SIZE, $S)", helpers.use("checkRemaining"), cName)
                .addStatement("$T view = buffer.slice().order($T.nativeOrder())", BYTE_BUFFER, BYTE_ORDER)
                .addStatement("$T value = new $T($L)", name, name, args.build())
                .addStatement("buffer.position(buffer.position() + SIZE)")
                .addStatement("return value").build());
        type.addMethod(MethodSpec.methodBuilder("decode").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(name)
                .addJavadoc("Reads the first {@link #SIZE} bytes of {@code bytes}.\n\n"
                        + "@throws IllegalArgumentException when there are fewer\n")
                .addParameter(ArrayTypeName.of(TypeName.BYTE), "bytes")
                .addStatement("return decode($T.wrap(bytes))", BYTE_BUFFER).build());

        MethodSpec.Builder encode = MethodSpec.methodBuilder("encode").addModifiers(Modifier.PUBLIC)
                .addJavadoc("Writes {@link #SIZE} bytes at the buffer's position, padding zeroed, and advances it.\n\n"
                        + "@throws IllegalArgumentException when fewer bytes remain or an array has the wrong length"
                        + "\n")
                .addParameter(BYTE_BUFFER, "buffer")
                .addStatement("$N(buffer, SIZE, $S)", helpers.use("checkRemaining"), cName)
                .addStatement("$T view = buffer.slice().order($T.nativeOrder())", BYTE_BUFFER, BYTE_ORDER)
                .beginControlFlow("for (int i = 0; i < SIZE; i++)")
                .addStatement("view.put(i, (byte) 0)")
                .endControlFlow();
        for (Component c : components) {
            encode.addStatement("$L", c.encode());
        }
        encode.addStatement("buffer.position(buffer.position() + SIZE)");
        type.addMethod(encode.build());
        type.addMethod(MethodSpec.methodBuilder("encode").addModifiers(Modifier.PUBLIC)
                .returns(ArrayTypeName.of(TypeName.BYTE))
                .addJavadoc("The {@link #SIZE} bytes of this value.\n")
                .addStatement("byte[] bytes = new byte[SIZE]")
                .addStatement("encode($T.wrap(bytes))", BYTE_BUFFER)
                .addStatement("return bytes").build());
        for (Component c : components) {
            c.extras().forEach(type::addMethod);
        }
        if (components.stream().anyMatch(c -> c.equality() == Equality.ARRAY)) {
            addValueMethods(type, name, components);
        }
        return type.build();
    }

    /** Records compare arrays by identity; these make them compare, hash and print by content. */
    private static void addValueMethods(TypeSpec.Builder type, ClassName name, List<Component> components) {
        CodeBlock.Builder equals = CodeBlock.builder().add("return other instanceof $T that", name);
        CodeBlock.Builder hash = CodeBlock.builder();
        CodeBlock.Builder string = CodeBlock.builder().add("return $S", name.simpleName() + "[");
        for (int i = 0; i < components.size(); i++) {
            Component c = components.get(i);
            equals.add("\n&& ");
            switch (c.equality()) {
                case PRIMITIVE -> equals.add("this.$N == that.$N", c.name(), c.name());
                case FLOAT -> equals.add("$T.compare(this.$N, that.$N) == 0", Float.class, c.name(), c.name());
                case DOUBLE -> equals.add("$T.compare(this.$N, that.$N) == 0", Double.class, c.name(), c.name());
                case OBJECT -> equals.add("$T.equals(this.$N, that.$N)", Objects.class, c.name(), c.name());
                case ARRAY -> equals.add("$T.equals(this.$N, that.$N)", Arrays.class, c.name(), c.name());
            }
            hash.add(i == 0 ? "$L" : ",$W$L", c.equality() == Equality.ARRAY
                    ? CodeBlock.of("$T.hashCode(this.$N)", Arrays.class, c.name()) : CodeBlock.of("this.$N", c.name()));
            string.add("$W+ $S + $L", (i == 0 ? "" : ", ") + c.name() + "=", c.equality() == Equality.ARRAY
                    ? CodeBlock.of("$T.toString(this.$N)", Arrays.class, c.name()) : CodeBlock.of("this.$N", c.name()));
        }
        string.add("$W+ $S", "]");
        type.addMethod(MethodSpec.methodBuilder("equals").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN).addParameter(Object.class, "other")
                .addStatement("$L", equals.build()).build());
        type.addMethod(MethodSpec.methodBuilder("hashCode").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(TypeName.INT)
                .addStatement("return $T.hash($L)", Objects.class, hash.build()).build());
        type.addMethod(MethodSpec.methodBuilder("toString").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(String.class)
                .addStatement("$L", string.build()).build());
    }
}
