package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.GlobalVariable;
import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import io.github.bpf2java.maven.naming.JavaNames;
import io.github.bpf2java.maven.naming.NameScope;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The nested {@code Globals} class: a typed getter for every global variable, and a setter for those not in a
 * read-only section, reading and writing the variable in its section's memory mapping through
 * {@link GlobalVariable} (a scalar read is one memory load).
 */
final class GlobalsClass {
    private static final Set<String> RESERVED = Set.of("equals", "hashCode", "toString", "getClass", "notify",
            "notifyAll", "wait", "clone", "finalize", "variable");

    private final Btf btf;
    private final RecordGenerator records;
    private final AnnotationSpec generated;

    GlobalsClass(Btf btf, RecordGenerator records, AnnotationSpec generated) {
        this.btf = btf;
        this.records = records;
        this.generated = generated;
    }

    TypeSpec generate(ClassName outer, ClassName globals, List<VariableSpec> variables) {
        TypeSpec.Builder type = TypeSpec.classBuilder(globals).addModifiers(Modifier.PUBLIC, Modifier.STATIC,
                        Modifier.FINAL)
                .addAnnotation(generated)
                .addJavadoc("The global variables of {@link $T} after load, in their sections' memory shared with the"
                        + " programs: a getter reads the variable's current value (a scalar read is one memory load),"
                        + " a setter writes exactly its bytes, so what programs write meanwhile into neighbouring"
                        + " variables is never lost. Variables of read-only sections ({@code const volatile}) have"
                        + " getters only; set them before load with {@link $T#options()}. Values are in this host's"
                        + " byte order; unsigned C integers keep their bits in the Java type of the same width.\n",
                        outer, outer);
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addJavadoc("The variables of {@code object}, looked up once.\n\n@param object the loaded object\n")
                .addParameter(BpfObject.class, "object");
        NameScope fields = new NameScope(Set.of("object"));
        NameScope methods = new NameScope(RESERVED);
        NameScope constants = new NameScope(Set.of());
        for (VariableSpec variable : variables) {
            String field = fields.allocate(JavaNames.memberName(variable.name()));
            type.addField(FieldSpec.builder(GlobalVariable.class, field, Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Variable {@code $L} in {@code $L}.\n", variable.name(), variable.mapName()).build());
            constructor.addStatement("this.$N = object.variable($S)", field, variable.name());
            String getter = methods.allocate(JavaNames.memberName(variable.name()));
            String setter = variable.readOnly() ? null
                    : methods.allocate("set" + JavaNames.typeName(variable.name()));
            addAccessors(type, constants, variable, field, getter, setter, methods);
        }
        type.addMethod(constructor.build());
        return type.build();
    }

    /** The {@code @return} of a getter: what the value is, in the Java form {@code t}. */
    private static String returns(TypeMapping.JavaType t, String variable) {
        boolean bytes = t.type().equals(ArrayTypeName.of(TypeName.BYTE));
        return switch (t.shape()) {
            case ENUM -> "its constant; {@code UNRECOGNIZED} for a value the C enum does not name"
                    + " ({@code object().variable(\"" + variable + "\").get()} has the raw bytes)";
            case RECORD -> "its value, decoded from the section's memory now";
            case STRING -> "its text, read as UTF-8 up to the first NUL";
            case ARRAY -> bytes ? "a copy of its " + Sizes.bytes(t.size()) : "a copy of its elements";
            default -> t.pointer() ? "the address" : "its value";
        };
    }

    /**
     * The {@code @param value} of a setter of a variable of Java form {@code t}.
     *
     * @param which {@code new} for a setter after load, {@code initial} for one before
     */
    static String parameter(TypeMapping.JavaType t, String which) {
        boolean bytes = t.type().equals(ArrayTypeName.of(TypeName.BYTE));
        String the = "the " + which + " ";
        return switch (t.shape()) {
            case STRING -> the + "text, written as UTF-8 and padded with NULs; at most " + Sizes.bytes(t.size());
            case ARRAY -> bytes ? the + "bytes, exactly " + Sizes.bytes(t.size())
                    : the + "elements, exactly as many as the C array has";
            default -> the + (t.pointer() ? "address" : "value");
        };
    }

    private void addAccessors(TypeSpec.Builder type, NameScope constants, VariableSpec variable, String field,
            String getter, String setter, NameScope methods) {
        String decl = RecordGenerator.code(btf.describe(variable.typeId()) + " " + variable.name());
        String where = decl + " in {@code " + variable.mapName() + "}";
        TypeMapping.JavaType t = records.mapping().ofVariable(variable);
        String scalar = switch (t.shape()) {
            case BOOLEAN -> "Boolean";
            case BYTE -> "Byte";
            case SHORT -> "Short";
            case INT -> "Int";
            case LONG -> "Long";
            case FLOAT -> "Float";
            case DOUBLE -> "Double";
            default -> null;
        };
        String unsignedGetter = t.unsigned() && t.shape() != TypeMapping.Shape.LONG && scalar != null
                ? methods.allocate(JavaNames.derivedName(getter, "Unsigned")) : null;
        boolean integer = scalar != null;
        String note = t.pointer() ? " It is a pointer: the value is the address as the program stored it."
                : t.unsigned() && integer ? " The C type is unsigned: the Java value has the same bits"
                        + (unsignedGetter == null ? "; see {@link Long#toUnsignedString(long)}."
                                : "; {@link #" + unsignedGetter + "()} widens it.")
                : variable.typeId() == 0 ? "" : records.mapping().unsignedElementWidener(variable.typeId())
                        .map(widener -> " Its elements are unsigned: each keeps its bits in the Java type of the "
                                + "same width, and {@link " + widener + "} reads one as the number C means.")
                        .orElse("");
        MethodSpec.Builder get = MethodSpec.methodBuilder(getter).addModifiers(Modifier.PUBLIC).returns(t.type())
                .addJavadoc("The current value of $L.$L\n\n@return $L\n", where, note, returns(t, variable.name()));
        // The body names the variable's field, which is called like the C variable: a C `value` must not make the
        // parameter hide it.
        String value = new NameScope(Set.of(field)).allocate("value");
        MethodSpec.Builder set = setter == null ? null : MethodSpec.methodBuilder(setter)
                .addModifiers(Modifier.PUBLIC).addParameter(t.type(), value)
                .addJavadoc("Writes $L, and nothing else of its section.$L\n\n@param $L $L\n", where, note, value,
                        parameter(t, "new"));
        if (scalar != null) {
            get.addStatement("return $N.get$L()", field, scalar);
            if (set != null) {
                set.addStatement("$N.set$L($N)", field, scalar, value);
            }
        } else {
            CodeBlock codec = t.codec();
            if (t.shape() != TypeMapping.Shape.RECORD && t.shape() != TypeMapping.Shape.ENUM) {
                // Strings and arrays: one codec, made once.
                String constant = constants.allocate(JavaNames.constantName(variable.name()) + "_CODEC");
                type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(Codec.class), t.boxed()),
                        constant, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("Reads and writes {@code $L}.\n", variable.name()).initializer("$L", codec)
                        .build());
                codec = CodeBlock.of("$N", constant);
            }
            get.addStatement("return $N.get($L)", field, codec);
            if (set != null) {
                set.addStatement("$N.set($L, $N)", field, codec, value);
            }

        }
        type.addMethod(get.build());
        if (unsignedGetter != null) {
            type.addMethod(RecordGenerator.unsignedAccessor(unsignedGetter, CodeBlock.of("$N()", getter), t.shape(),
                    variable.name()));
        }
        if (set != null) {
            type.addMethod(set.build());
            UnsignedSetter.of(t).ifPresent(u -> type.addMethod(u.method(setter,
                    btf.describe(variable.typeId()) + " " + variable.name(), CodeBlock.of("Writes $L from its unsigned"
                            + " value, and nothing else of its section.\n", where), null, null)));
        }
    }
}
