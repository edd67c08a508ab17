package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.github.bpf2java.ebpf.AttachReport;
import io.github.bpf2java.ebpf.BpfMap;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.BpfProgram;
import io.github.bpf2java.ebpf.EmbeddedObject;
import io.github.bpf2java.ebpf.GlobalVariable;
import io.github.bpf2java.ebpf.LoadOptions;
import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.naming.JavaNames;
import io.github.bpf2java.maven.naming.NameScope;
import io.github.bpf2java.maven.source.BpfSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Generates the Java class of one compiled eBPF object: static {@code spec()}, {@code load()} and {@code options()}
 * (with a typed setter per global variable), one accessor per program, map and global variable, {@code attach()},
 * {@code close()}, and nested records and enums for the BTF types the maps and variables use plus the ones the user
 * names. The output depends only on the object and the parameters: members are sorted, nothing is time-stamped.
 */
public final class ObjectClassGenerator {
    private static final ClassName BYTE_BUFFER = ClassName.get(ByteBuffer.class);
    private static final ClassName BYTE_ORDER = ClassName.get(ByteOrder.class);
    private static final Set<String> CLASS_RESERVED = Set.of("spec", "load", "options", "attach", "object", "close",
            "equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone", "finalize");
    private static final Set<String> OPTIONS_RESERVED = Set.of("maxEntries", "configure", "toLoadOptions", "load",
            "spec",
            "options", "equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone",
            "finalize");

    private final String packageName;
    private final List<String> types;

    /**
     * @param packageName the package of the generated classes
     * @param types       BTF type names to generate records for besides the ones maps and variables need
     */
    public ObjectClassGenerator(String packageName, List<String> types) {
        this.packageName = packageName;
        this.types = List.copyOf(types);
    }

    /**
     * A generated class.
     *
     * @param javaSource     the source text
     * @param foundTypes     the names of {@code types} this object has (and got records for)
     * @param availableTypes the named structs, unions and enums of the object's BTF, for messages
     * @param classFiles     what each class file of it is estimated to need, checked against the format's limits
     */
    public record GeneratedClass(String javaSource, Set<String> foundTypes, SortedSet<String> availableTypes,
            List<ClassFileLimits.ClassFile> classFiles) {}

    /**
     * The Java source of the class for {@code source}. Names in {@code types} that the object does not have are
     * skipped here; the caller decides whether that is an error (it is when no object has them).
     *
     * @param spec    the object as compiled for the first target (layouts are the same for all)
     * @param targets the targets objects exist for, in the order the runtime should consider them
     * @throws EbpfBuildException when the object has no BTF, or the class would break a limit of the class-file format
     */
    public GeneratedClass generate(BpfSource source, ObjectSpec spec, List<Target> targets)
            throws EbpfBuildException {
        ClassName className = ClassName.get(packageName, source.className());
        Btf btf = spec.btf().orElseThrow(() -> new EbpfBuildException("The object of " + source.relativePath()
                + " has no BTF; it is needed to generate " + className.simpleName()));
        NameScope typeNames = new NameScope(Set.of(className.simpleName(), "Options"));
        CodecHelpers helpers = new CodecHelpers();
        RecordGenerator records = new RecordGenerator(btf, className, typeNames, helpers);

        List<MapSpec> maps = spec.maps().stream()
                .filter(m -> m.kind() == MapSpec.MapKind.BTF_DEFINED || m.kind() == MapSpec.MapKind.LEGACY)
                .sorted(Comparator.comparing(MapSpec::name)).toList();
        List<ProgramSpec> programs = spec.programs().stream().sorted(Comparator.comparing(ProgramSpec::name))
                .toList();
        // Kconfig externs are filled in by the loader from the running kernel; there is nothing to read or set.
        List<VariableSpec> variables = spec.variables().stream().filter(VariableSpec::global)
                .filter(v -> spec.map(v.mapName()).map(m -> m.kind() != MapSpec.MapKind.KCONFIG).orElse(true))
                .sorted(Comparator.comparing(VariableSpec::name)).toList();

        for (MapSpec map : maps) {
            if (map.keyTypeId() != 0) {
                records.request(map.keyTypeId(), map.name() + "_key");
            }
            if (map.valueTypeId() != 0) {
                records.request(map.valueTypeId(), map.name() + "_value");
            }
        }
        for (VariableSpec variable : variables) {
            records.request(variable.typeId(), variable.name());
        }
        Set<String> found = new TreeSet<>();
        for (String name : types) {
            Optional<Integer> id = namedType(btf, name);
            if (id.isPresent()) {
                records.request(id.get(), name);
                found.add(name);
            }
        }

        TypeSpec.Builder type = TypeSpec.classBuilder(className).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(AutoCloseable.class)
                .addJavadoc(classJavadoc(source, spec, targets, programs, maps, variables));
        type.addField(FieldSpec.builder(BpfObject.class, "object", Modifier.PRIVATE, Modifier.FINAL).build());
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addParameter(BpfObject.class, "object").addStatement("this.object = object").build());

        String targetList = targets.stream().map(t -> "\"" + t.targetName() + "\"").collect(Collectors.joining(", "));
        type.addMethod(MethodSpec.methodBuilder("spec").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ObjectSpec.class)
                .addJavadoc("Reads the object embedded beside this class for this host ($L), parsed anew on every"
                        + " call, so it can be edited before loading.\n", targets.stream().map(Target::targetName)
                        .collect(Collectors.joining(", ")))
                .addStatement("return $T.read($T.class, $S, $L)", EmbeddedObject.class, className,
                        source.baseName(), targetList).build());
        ClassName options = className.nestedClass("Options");
        type.addMethod(MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(className)
                .addJavadoc("Loads the object with default options: maps created, programs loaded, nothing"
                        + " attached.\n\n@throws io.github.bpf2java.ebpf.error.BpfException when the kernel refuses\n")
                .addStatement("return options().load()").build());
        type.addMethod(MethodSpec.methodBuilder("options").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(options)
                .addJavadoc("Options to set global variables and map sizes before {@link Options#load()}.\n")
                .addStatement("return new $T()", options).build());

        NameScope members = new NameScope(CLASS_RESERVED);
        for (ProgramSpec program : programs) {
            type.addMethod(MethodSpec.methodBuilder(members.allocate(JavaNames.memberName(program.name())))
                    .addModifiers(Modifier.PUBLIC).returns(BpfProgram.class)
                    .addJavadoc("Program {@code $L}, section {@code $L}$L.\n", program.name(), program.sectionName(),
                            program.type().map(t -> ", type " + t).orElse(""))
                    .addStatement("return object.program($S)", program.name()).build());
        }
        for (MapSpec map : maps) {
            type.addMethod(MethodSpec.methodBuilder(members.allocate(JavaNames.memberName(map.name())))
                    .addModifiers(Modifier.PUBLIC).returns(BpfMap.class)
                    .addJavadoc("$L\n", mapDoc(btf, map))
                    .addStatement("return object.map($S)", map.name()).build());
        }
        for (VariableSpec variable : variables) {
            type.addMethod(MethodSpec.methodBuilder(members.allocate(JavaNames.memberName(variable.name())))
                    .addModifiers(Modifier.PUBLIC).returns(GlobalVariable.class)
                    .addJavadoc("Global variable $L in {@code $L}, $L byte$L$L.\n",
                            RecordGenerator.code(btf.describe(variable.typeId()) + " " + variable.name()),
                            variable.mapName(), variable.size(), variable.size() == 1 ? "" : "s",
                            variable.readOnly() ? ", read-only after load" : "")
                    .addStatement("return object.variable($S)", variable.name()).build());
        }
        type.addMethod(MethodSpec.methodBuilder("attach").addModifiers(Modifier.PUBLIC)
                .returns(AttachReport.class)
                .addJavadoc("Attaches every program whose section says where; the links close with this object.\n"
                        + "The report lists the programs left unattached and the method that attaches each.\n")
                .addStatement("return object.attachAll()").build());
        type.addMethod(MethodSpec.methodBuilder("object").addModifiers(Modifier.PUBLIC).returns(BpfObject.class)
                .addJavadoc("The loaded object, for what the typed accessors do not cover.\n")
                .addStatement("return object").build());
        type.addMethod(MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Detaches and closes every link, program and map of the object.\n")
                .addStatement("object.close()").build());

        type.addType(optionsClass(className, options, btf, variables, records));
        records.generate().forEach(type::addType);
        helpers.methods().forEach(type::addMethod);
        TypeSpec built = type.build();
        List<ClassFileLimits.ClassFile> classFiles = ClassFileLimits.check(source.relativePath(), className, built,
                count(programs.size(), "program") + ", " + count(maps.size(), "map") + " and "
                        + count(variables.size(), "global variable"));
        String java = CommentWrapper.wrap(JavaFile.builder(packageName, built).indent("    ")
                .skipJavaLangImports(true).build().toString(), 120);
        return new GeneratedClass(java, found, availableTypes(btf), classFiles);
    }

    private static String count(int n, String noun) {
        return String.format("%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    private static Optional<Integer> namedType(Btf btf, String name) {
        for (Class<? extends BtfType> kind : List.of(BtfType.Struct.class, BtfType.Union.class, BtfType.Enum.class,
                BtfType.Typedef.class)) {
            Optional<? extends BtfType> found = btf.find(name, kind);
            if (found.isPresent()) {
                return Optional.of(found.get().id());
            }
        }
        return Optional.empty();
    }

    private static SortedSet<String> availableTypes(Btf btf) {
        return btf.types().stream()
                .filter(t -> t instanceof BtfType.Struct || t instanceof BtfType.Union || t instanceof BtfType.Enum)
                .map(BtfType::name).filter(n -> !n.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static CodeBlock classJavadoc(BpfSource source, ObjectSpec spec, List<Target> targets,
            List<ProgramSpec> programs, List<MapSpec> maps, List<VariableSpec> variables) {
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("eBPF object {@code $L}, compiled for $L.\n", source.relativePath(),
                        targets.stream().map(Target::targetName).collect(Collectors.joining(", ")));
        doc.add("\n<p>Programs: $L. Maps: $L. Global variables: $L. License: {@code $L}.\n",
                names(programs.stream().map(ProgramSpec::name).toList()),
                names(maps.stream().map(MapSpec::name).toList()),
                names(variables.stream().map(VariableSpec::name).toList()),
                spec.license().isEmpty() ? "none" : spec.license());
        doc.add("\n<pre>{@code\ntry ($L bpf = $L.load()) {\n    bpf.attach();\n    ...\n}\n}</pre>\n",
                source.className(), source.className());
        doc.add("\n<p>Generated by bpf2java; do not edit.\n");
        return doc.build();
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "none" : names.stream().map(n -> "{@code " + n + "}")
                .collect(Collectors.joining(", "));
    }

    private static String mapDoc(Btf btf, MapSpec map) {
        String type = map.type().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        StringBuilder doc = new StringBuilder("Map {@code " + map.name() + "}: " + type);
        if (map.keySize() > 0) {
            doc.append(", key ").append(describe(btf, map.keyTypeId(), map.keySize()));
        }
        if (map.valueSize() > 0) {
            doc.append(", value ").append(describe(btf, map.valueTypeId(), map.valueSize()));
        }
        return doc.append(", at most ").append(map.maxEntries()).append(" entries.").toString();
    }

    private static String describe(Btf btf, int typeId, int size) {
        return (typeId == 0 ? "" : RecordGenerator.code(btf.describe(typeId)) + " ") + "(" + size + " bytes)";
    }

    private TypeSpec optionsClass(ClassName className, ClassName options, Btf btf, List<VariableSpec> variables,
            RecordGenerator records) {
        TypeSpec.Builder type = TypeSpec.classBuilder(options).addModifiers(Modifier.PUBLIC, Modifier.STATIC,
                        Modifier.FINAL)
                .addJavadoc("How to load {@link $T}: initial values of global variables (the {@code const volatile}"
                        + " ones are fixed from then on) and map sizes. Values are written in this host's byte"
                        + " order.\n", className);
        type.addField(FieldSpec.builder(LoadOptions.Builder.class, "builder", Modifier.PRIVATE, Modifier.FINAL)
                .initializer("$T.builder()", LoadOptions.class).build());
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        NameScope scope = new NameScope(OPTIONS_RESERVED);
        Set<String> seen = new LinkedHashSet<>();
        for (VariableSpec variable : variables) {
            if (!seen.add(variable.name())) {
                continue;
            }
            String name = scope.allocate(JavaNames.memberName(variable.name()));
            type.addMethod(setter(options, name, btf, variable, records));
        }
        type.addMethod(MethodSpec.methodBuilder("maxEntries").addModifiers(Modifier.PUBLIC).returns(options)
                .addJavadoc("Overrides the {@code max_entries} of the map named {@code mapName} (its C name).\n")
                .addParameter(String.class, "mapName").addParameter(TypeName.INT, "entries")
                .addStatement("builder.maxEntries(mapName, entries)").addStatement("return this").build());
        type.addMethod(MethodSpec.methodBuilder("configure").addModifiers(Modifier.PUBLIC).returns(options)
                .addJavadoc("Applies settings the typed setters do not cover: map flags and value sizes, which programs"
                        + " to load, program types and attach targets, the verifier log level.\n\n"
                        + "@param settings called once, now, with the builder these options write to\n")
                .addParameter(ParameterizedTypeName.get(ClassName.get(Consumer.class),
                        ClassName.get(LoadOptions.Builder.class)), "settings")
                .addStatement("settings.accept(builder)").addStatement("return this").build());
        type.addMethod(MethodSpec.methodBuilder("toLoadOptions").addModifiers(Modifier.PUBLIC)
                .returns(LoadOptions.class)
                .addJavadoc("These options for {@link BpfObject#load}.\n")
                .addStatement("return builder.build()").build());
        type.addMethod(MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC).returns(className)
                .addJavadoc("Loads the object for this host with these options.\n\n"
                        + "@throws io.github.bpf2java.ebpf.error.BpfException when the kernel refuses\n")
                .addStatement("return new $T($T.load(spec(), builder.build()))", className, BpfObject.class)
                .build());
        return type.build();
    }

    private static MethodSpec setter(ClassName options, String name, Btf btf, VariableSpec variable,
            RecordGenerator records) {
        BtfType type = btf.resolve(variable.typeId());
        int size = variable.size();
        MethodSpec.Builder method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC).returns(options)
                .addJavadoc("Sets $L ({@code $L}) before load.\n",
                        RecordGenerator.code(btf.describe(variable.typeId()) + " " + variable.name()),
                        variable.mapName());
        CodeBlock bytes;
        if (type instanceof BtfType.Int i && i.isBool() && size == 1) {
            method.addParameter(TypeName.BOOLEAN, "value");
            bytes = CodeBlock.of("new byte[] {(byte) (value ? 1 : 0)}");
        } else if ((type instanceof BtfType.Int || type instanceof BtfType.Enum || type instanceof BtfType.Pointer)
                && (size == 1 || size == 2 || size == 4 || size == 8)) {
            TypeName javaType = size == 1 ? TypeName.BYTE : size == 2 ? TypeName.SHORT : size == 4 ? TypeName.INT
                    : TypeName.LONG;
            String put = size == 1 ? "put" : size == 2 ? "putShort" : size == 4 ? "putInt" : "putLong";
            boolean unsigned = type instanceof BtfType.Int i ? !i.signed() : type instanceof BtfType.Pointer;
            method.addParameter(javaType, "value");
            if (unsigned) {
                method.addJavadoc("\n<p>The C type is unsigned; the bits of {@code value} are stored as they are.\n");
            }
            bytes = CodeBlock.of("$T.allocate($L).order($T.nativeOrder()).$L(value).array()", BYTE_BUFFER, size,
                    BYTE_ORDER, put);
        } else if (type instanceof BtfType.Float f && (f.size() == 4 || f.size() == 8)) {
            method.addParameter(f.size() == 4 ? TypeName.FLOAT : TypeName.DOUBLE, "value");
            bytes = CodeBlock.of("$T.allocate($L).order($T.nativeOrder()).$L(value).array()", BYTE_BUFFER, size,
                    BYTE_ORDER, f.size() == 4 ? "putFloat" : "putDouble");
        } else {
            Optional<ClassName> record = type instanceof BtfType.Enum ? Optional.empty()
                    : records.request(variable.typeId(), variable.name());
            if (record.isPresent()) {
                method.addParameter(record.get(), "value");
                bytes = CodeBlock.of("value.encode()");
            } else {
                method.addParameter(ArrayTypeName.of(TypeName.BYTE), "value");
                method.beginControlFlow("if (value.length != $L)", size)
                        .addStatement("throw new $T($S + value.length)", IllegalArgumentException.class,
                                variable.name() + " takes exactly " + size + " bytes, not ")
                        .endControlFlow();
                bytes = CodeBlock.of("value.clone()");
            }
        }
        return method.addStatement("byte[] bytes = $L", bytes)
                .addStatement("builder.constant($S, bytes)", variable.name())
                .addStatement("return this").build();
    }
}
