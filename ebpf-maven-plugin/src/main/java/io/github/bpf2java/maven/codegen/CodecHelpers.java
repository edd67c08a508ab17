package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import javax.lang.model.element.Modifier;

/**
 * The private static helpers the generated records call to read and write arrays and bit fields. Only the helpers a
 * class uses are emitted, in a fixed order.
 */
final class CodecHelpers {

    /** An element type of a primitive array, with its {@link ByteBuffer} accessor suffix and width. */
    enum Primitive {
        SHORT(TypeName.SHORT, "Short", 2),
        INT(TypeName.INT, "Int", 4),
        LONG(TypeName.LONG, "Long", 8),
        FLOAT(TypeName.FLOAT, "Float", 4),
        DOUBLE(TypeName.DOUBLE, "Double", 8);

        final TypeName type;
        final String accessor;
        final int width;

        Primitive(TypeName type, String accessor, int width) {
            this.type = type;
            this.accessor = accessor;
            this.width = width;
        }

        String plural() {
            return accessor + "s";
        }
    }

    private static final ClassName BYTE_BUFFER = ClassName.get(ByteBuffer.class);

    private final TreeSet<String> used = new TreeSet<>();

    /** Marks a helper as used and returns its name. */
    String use(String name) {
        used.add(name);
        if (name.startsWith("put") && !name.equals("putBits")) {
            used.add("checkLength");
        }
        return name;
    }

    /** The helpers used so far. */
    List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        for (String name : used) {
            methods.add(method(name));
        }
        return methods;
    }

    private static MethodSpec method(String name) {
        if (name.equals("getBytes")) {
            return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(ArrayTypeName.of(TypeName.BYTE))
                    .addParameter(BYTE_BUFFER, "view").addParameter(TypeName.INT, "offset")
                    .addParameter(TypeName.INT, "length")
                    .addStatement("byte[] values = new byte[length]")
                    .addStatement("view.get(offset, values)")
                    .addStatement("return values").build();
        }
        if (name.equals("putBytes")) {
            return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addParameter(BYTE_BUFFER, "view").addParameter(TypeName.INT, "offset")
                    .addParameter(ArrayTypeName.of(TypeName.BYTE), "values").addParameter(TypeName.INT, "length")
                    .addParameter(String.class, "name")
                    .addStatement("checkLength(values.length, length, name)")
                    .addStatement("view.put(offset, values)").build();
        }
        if (name.equals("checkRemaining")) {
            return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addParameter(BYTE_BUFFER, "buffer").addParameter(TypeName.INT, "size")
                    .addParameter(String.class, "type")
                    .beginControlFlow("if (buffer.remaining() < size)")
                    .addStatement("throw new $T(type + $S + size + $S + buffer.remaining() + $S)",
                            IllegalArgumentException.class, " needs ", " bytes, ", " remain")
                    .endControlFlow().build();
        }
        if (name.equals("checkLength")) {
            return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addParameter(TypeName.INT, "actual").addParameter(TypeName.INT, "expected")
                    .addParameter(String.class, "name")
                    .beginControlFlow("if (actual != expected)")
                    .addStatement("throw new $T(name + $S + expected + $S + actual)", IllegalArgumentException.class,
                            " must have ", " elements, has ")
                    .endControlFlow().build();
        }
        if (name.equals("getBits")) {
            return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addJavadoc("Reads a bit field: in a little-endian object bits count from the least significant"
                            + " bit of each byte, in a big-endian one from the most significant.\n")
                    .returns(TypeName.LONG)
                    .addParameter(BYTE_BUFFER, "view").addParameter(TypeName.LONG, "bitOffset")
                    .addParameter(TypeName.INT, "bits").addParameter(TypeName.BOOLEAN, "signed")
                    .addStatement("boolean little = view.order() == $T.LITTLE_ENDIAN", java.nio.ByteOrder.class)
                    .addStatement("long value = 0")
                    .beginControlFlow("for (int i = 0; i < bits; i++)")
                    .addStatement("long bit = bitOffset + i")
                    .addStatement("int shift = little ? (int) (bit & 7) : 7 - (int) (bit & 7)")
                    .addStatement("long set = (view.get((int) (bit >>> 3)) >>> shift) & 1")
                    .addStatement("value |= set << (little ? i : bits - 1 - i)")
                    .endControlFlow()
                    .beginControlFlow("if (signed && bits < 64 && (value >>> (bits - 1)) != 0)")
                    .addStatement("value |= -1L << bits")
                    .endControlFlow()
                    .addStatement("return value").build();
        }
        if (name.equals("putBits")) {
            return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addJavadoc("Writes the low {@code bits} bits of {@code value} as a bit field; see getBits.\n")
                    .addParameter(BYTE_BUFFER, "view").addParameter(TypeName.LONG, "bitOffset")
                    .addParameter(TypeName.INT, "bits").addParameter(TypeName.LONG, "value")
                    .addStatement("boolean little = view.order() == $T.LITTLE_ENDIAN", java.nio.ByteOrder.class)
                    .beginControlFlow("for (int i = 0; i < bits; i++)")
                    .addStatement("long bit = bitOffset + i")
                    .addStatement("int shift = little ? (int) (bit & 7) : 7 - (int) (bit & 7)")
                    .addStatement("int index = (int) (bit >>> 3)")
                    .addStatement("long set = (value >>> (little ? i : bits - 1 - i)) & 1")
                    .addStatement("int current = view.get(index) & ~(1 << shift)")
                    .addStatement("view.put(index, (byte) (current | (int) (set << shift)))")
                    .endControlFlow().build();
        }
        if (name.equals("getStructs")) {
            TypeVariableName t = TypeVariableName.get("T");
            return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addTypeVariable(t).returns(ArrayTypeName.of(t))
                    .addParameter(BYTE_BUFFER, "view").addParameter(TypeName.INT, "offset")
                    .addParameter(TypeName.INT, "count").addParameter(TypeName.INT, "size")
                    .addParameter(ParameterizedTypeName.get(ClassName.get(Function.class), BYTE_BUFFER, t), "decode")
                    .addParameter(ParameterizedTypeName.get(ClassName.get(IntFunction.class), ArrayTypeName.of(t)),
                            "newArray")
                    .addStatement("$T[] values = newArray.apply(count)", t)
                    .beginControlFlow("for (int i = 0; i < count; i++)")
                    .addStatement("values[i] = decode.apply(view.slice(offset + i * size, size))")
                    .endControlFlow()
                    .addStatement("return values").build();
        }
        if (name.equals("putStructs")) {
            TypeVariableName t = TypeVariableName.get("T");
            return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addTypeVariable(t)
                    .addParameter(BYTE_BUFFER, "view").addParameter(TypeName.INT, "offset")
                    .addParameter(TypeName.INT, "count").addParameter(TypeName.INT, "size")
                    .addParameter(ArrayTypeName.of(t), "values")
                    .addParameter(ParameterizedTypeName.get(ClassName.get(BiConsumer.class), t, BYTE_BUFFER),
                            "encode")
                    .addParameter(String.class, "name")
                    .addStatement("checkLength(values.length, count, name)")
                    .beginControlFlow("for (int i = 0; i < count; i++)")
                    .addStatement("encode.accept(values[i], view.slice(offset + i * size, size))")
                    .endControlFlow().build();
        }
        for (Primitive p : Primitive.values()) {
            if (name.equals("get" + p.plural())) {
                return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                        .returns(ArrayTypeName.of(p.type))
                        .addParameter(BYTE_BUFFER, "view").addParameter(TypeName.INT, "offset")
                        .addParameter(TypeName.INT, "count")
                        .addStatement("$T[] values = new $T[count]", p.type, p.type)
                        .beginControlFlow("for (int i = 0; i < count; i++)")
                        .addStatement("values[i] = view.get$L(offset + i * $L)", p.accessor, p.width)
                        .endControlFlow()
                        .addStatement("return values").build();
            }
            if (name.equals("put" + p.plural())) {
                return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                        .addParameter(BYTE_BUFFER, "view").addParameter(TypeName.INT, "offset")
                        .addParameter(ArrayTypeName.of(p.type), "values").addParameter(TypeName.INT, "count")
                        .addParameter(String.class, "name")
                        .addStatement("checkLength(values.length, count, name)")
                        .beginControlFlow("for (int i = 0; i < count; i++)")
                        .addStatement("view.put$L(offset + i * $L, values[i])", p.accessor, p.width)
                        .endControlFlow().build();
            }
        }
        throw new IllegalArgumentException("no helper " + name.toLowerCase(Locale.ROOT));
    }
}
