package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.LoadOptions;
import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import io.github.bpf2java.maven.naming.JavaNames;
import io.github.bpf2java.maven.naming.NameScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.lang.model.element.Modifier;

/**
 * The nested {@code Options} class: a typed setter for the initial value of every global variable (the only way to
 * set {@code const volatile} ones), map sizes, and a hook into every other {@link LoadOptions} setting.
 */
final class OptionsClass {
    // Not "options": the outer class's static options() is not reached from inside the builder, so a constant named
    // options gets options(value) here, as its getter in Globals is options().
    private static final Set<String> RESERVED = Set.of("maxEntries", "pinRoot", "configure", "toLoadOptions", "load",
            "spec", "equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone", "finalize");
    private static final ClassName CODECS = ClassName.get(Codecs.class);

    private final Btf btf;
    private final RecordGenerator records;
    private final AnnotationSpec generated;

    OptionsClass(Btf btf, RecordGenerator records, AnnotationSpec generated) {
        this.btf = btf;
        this.records = records;
        this.generated = generated;
    }

    /**
     * @param hasMaps      whether the object declares maps, whose sizes {@code maxEntries} then overrides (the sections
     *                     of global variables are maps too, but not ones to resize)
     * @param pinsByName   whether a map is declared {@code LIBBPF_PIN_BY_NAME}, whose directory {@code pinRoot} sets
     */
    TypeSpec generate(ClassName className, ClassName options, List<VariableSpec> variables, boolean hasMaps,
            boolean pinsByName) {
        TypeSpec.Builder type = TypeSpec.classBuilder(options).addModifiers(Modifier.PUBLIC, Modifier.STATIC,
                        Modifier.FINAL)
                .addAnnotation(generated)
                .addJavadoc("How to load {@link $T}: initial values of global variables (the {@code const volatile}"
                        + " ones are fixed from then on) and map sizes. Values are written in this host's byte"
                        + " order.\n", className);
        type.addField(FieldSpec.builder(LoadOptions.Builder.class, "builder", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("What the setters write to.\n")
                .initializer("$T.builder()", LoadOptions.class).build());
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addJavadoc("Options with nothing set: see {@link $T#options()}.\n", className).build());
        NameScope scope = new NameScope(RESERVED);
        Set<String> seen = new LinkedHashSet<>();
        List<String> folded = new ArrayList<>();
        for (VariableSpec variable : variables) {
            if (variable.readOnly() && !declaredVolatile(variable.typeId())) {
                if (seen.add(variable.name())) {
                    folded.add(RecordGenerator.code(btf.describe(variable.typeId()) + " " + variable.name()));
                }
                continue;
            }
            if (seen.add(variable.name())) {
                String name = scope.allocate(JavaNames.memberName(variable.name()));
                TypeMapping.JavaType t = records.mapping().ofVariable(variable);
                String decl = btf.describe(variable.typeId()) + " " + variable.name();
                type.addMethod(setter(options, name, variable, t, decl));
                UnsignedSetter.of(t).ifPresent(u -> type.addMethod(u.method(name, decl,
                        CodeBlock.of("Sets $L ({@code $L}) before load, from its unsigned value.\n",
                                RecordGenerator.code(decl), variable.mapName()), options, "these options")));
            }
        }
        if (!folded.isEmpty()) {
            type.addJavadoc("\n<p>No setter for $L: clang folds the value of a {@code const} global that is not"
                    + " {@code volatile} into the code that reads it, so a value set before load would not be seen."
                    + " Declare it {@code const volatile} to set it here.\n", String.join(", ", folded));
        }
        if (hasMaps) {
            type.addMethod(maxEntries(options));
        }
        if (pinsByName) {
            type.addMethod(MethodSpec.methodBuilder("pinRoot").addModifiers(Modifier.PUBLIC).returns(options)
                    .addJavadoc("The directory (on a bpffs, existing) where the maps declared {@code"
                            + " LIBBPF_PIN_BY_NAME} are pinned under their names, or found pinned and reused; default"
                            + " {@code /sys/fs/bpf}.\n\n@param directory the pin root\n@return these options\n")
                    .addParameter(Path.class, "directory")
                    .addStatement("builder.pinRoot(directory)").addStatement("return this").build());
        }
        type.addMethod(MethodSpec.methodBuilder("configure").addModifiers(Modifier.PUBLIC).returns(options)
                .addJavadoc("Applies settings the typed setters do not cover: map flags and value sizes, which programs"
                        + " to load, program types and attach targets, the verifier log level.\n\n"
                        + "@param settings called once, now, with the builder these options write to\n"
                        + "@return these options\n")
                .addParameter(ParameterizedTypeName.get(ClassName.get(Consumer.class),
                        ClassName.get(LoadOptions.Builder.class)), "settings")
                .addStatement("settings.accept(builder)").addStatement("return this").build());
        type.addMethod(MethodSpec.methodBuilder("toLoadOptions").addModifiers(Modifier.PUBLIC)
                .returns(LoadOptions.class)
                .addJavadoc("These options for {@link $T#load}.\n\n@return the options set so far, as the runtime"
                        + " takes them\n", BpfObject.class)
                .addStatement("return builder.build()").build());
        type.addMethod(MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC).returns(className)
                .addJavadoc("Loads the object for this host with these options.\n\n"
                        + "@return the loaded object: maps created, programs loaded, nothing attached; close it"
                        + " when done\n"
                        + "@throws io.github.bpf2java.ebpf.error.BpfException when the kernel refuses\n")
                .addStatement("return new $T($T.load(spec(), builder.build()))", className, BpfObject.class)
                .build());
        return type.build();
    }

    /**
     * Whether C declared the type {@code volatile}, as {@code const volatile} settings are: through qualifiers,
     * typedefs and, for an array, its elements.
     */
    private boolean declaredVolatile(int typeId) {
        BtfType type = btf.type(typeId);
        for (int depth = 0; depth < 64; depth++) {
            if (type instanceof BtfType.Qualifier q) {
                if (q.kind() == BtfType.QualifierKind.VOLATILE) {
                    return true;
                }
                type = btf.type(q.targetId());
            } else if (type instanceof BtfType.Typedef t) {
                type = btf.type(t.targetId());
            } else if (type instanceof BtfType.Array a) {
                type = btf.type(a.elementTypeId());
            } else {
                return false;
            }
        }
        return false;
    }

    /**
     * The setter of {@code variable}, of Java form {@code t}.
     *
     * @param decl the variable's C declaration, e.g. {@code const volatile __u16 limit}
     */
    private MethodSpec setter(ClassName options, String name, VariableSpec variable, TypeMapping.JavaType t,
            String decl) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC).returns(options)
                .addParameter(t.type(), "value")
                .addJavadoc("Sets $L ({@code $L}) before load.\n", RecordGenerator.code(decl), variable.mapName());
        if (t.pointer()) {
            method.addJavadoc("\n<p>It is a pointer: {@code value} is stored as the address.\n");
        } else if (t.unsigned() && t.primitive()) {
            method.addJavadoc("\n<p>The C type is unsigned: the bits of {@code value} are stored as they are$L.\n",
                    UnsignedSetter.of(t).map(u -> "; {@link #" + name + "(" + u.wider() + ")} takes the unsigned"
                            + " value").orElse(""));
        }
        method.addJavadoc("\n@param value $L\n@return these options\n", GlobalsClass.parameter(t, "initial"));
        return method.addStatement("builder.constant($S,$W$T.toBytes($L, value))", variable.name(), CODECS, t.codec())
                .addStatement("return this").build();
    }
    private static MethodSpec maxEntries(ClassName options) {
        return MethodSpec.methodBuilder("maxEntries").addModifiers(Modifier.PUBLIC).returns(options)
                .addJavadoc("Overrides the {@code max_entries} of the map named {@code mapName} (its C name); for a"
                        + " ring buffer, its size in bytes.\n\n"
                        + "@param mapName the map's name in C\n"
                        + "@param entries the map's new {@code max_entries}\n"
                        + "@return these options\n")
                .addParameter(String.class, "mapName").addParameter(TypeName.INT, "entries")
                .addStatement("builder.maxEntries(mapName, entries)").addStatement("return this").build();
    }
}
