package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.github.bpf2java.ebpf.AttachReport;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.BpfProgram;
import io.github.bpf2java.ebpf.EmbeddedObject;
import io.github.bpf2java.ebpf.Generated;
import io.github.bpf2java.ebpf.TypedMap;
import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.Relocation;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.compile.DefinedConstant;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.naming.JavaNames;
import io.github.bpf2java.maven.naming.NameScope;
import io.github.bpf2java.maven.source.BpfSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;

/**
 * Generates the Java class of one compiled eBPF object: static {@code spec()}, {@code load()} and {@code options()}
 * (with a typed setter per global variable), the object's integer {@code #define}s as constants, one accessor per
 * program, a typed accessor per map ({@link TypedMap} built from the map's BTF key and value types), typed getters
 * and setters of the global variables after load ({@code globals()}), {@code attach()}, {@code close()}, and nested
 * records and enums for the BTF types the maps and variables use plus the ones the user names. Records read and
 * write themselves through the runtime's codecs: no codec code is copied into the class. The output depends only
 * on the object and the parameters: members are sorted, nothing is time-stamped.
 */
public final class ObjectClassGenerator {
    private static final Set<String> CLASS_RESERVED = Set.of("spec", "load", "options", "attach", "object", "close",
            "globals", "equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone",
            "finalize");
    /** What the {@code @Generated} marker names as the generator. */
    static final String GENERATOR = "bpf2java ebpf-maven-plugin";

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

    /** {@link #generate(BpfSource, ObjectSpec, List, List)} without {@code #define} constants. */
    public GeneratedClass generate(BpfSource source, ObjectSpec spec, List<Target> targets)
            throws EbpfBuildException {
        return generate(source, spec, targets, List.of());
    }

    /**
     * The Java source of the class for {@code source}. Names in {@code types} that the object does not have are
     * skipped here; the caller decides whether that is an error (it is when no object has them).
     *
     * @param spec      the object as compiled for the first target (layouts are the same for all)
     * @param targets   the targets objects exist for, in the order the runtime should consider them
     * @param constants the integer {@code #define}s of the source
     * @throws EbpfBuildException when the object has no BTF, or the class would break a limit of the class-file format
     */
    public GeneratedClass generate(BpfSource source, ObjectSpec spec, List<Target> targets,
            List<DefinedConstant> constants) throws EbpfBuildException {
        ClassName className = ClassName.get(packageName, source.className());
        Btf btf = spec.btf().orElseThrow(() -> new EbpfBuildException("The object of " + source.relativePath()
                + " has no BTF; it is needed to generate " + className.simpleName()));
        NameScope typeNames = new NameScope(Set.of(className.simpleName(), "Options", "Globals",
                RecordGenerator.CODEC_CLASS));
        AnnotationSpec nestedMarker = AnnotationSpec.builder(Generated.class).addMember("value", "$S", GENERATOR)
                .build();
        RecordGenerator records = new RecordGenerator(btf, className, typeNames, nestedMarker);
        MapAccessors mapAccessors = new MapAccessors(btf, records);

        // libbpf's usdt.bpf.h declares maps of its own (__bpf_usdt_specs, __bpf_usdt_ip_to_spec_id) that the runtime
        // fills when it attaches a USDT probe: plumbing, not API, and a write from Java would break argument reading.
        List<MapSpec> maps = spec.maps().stream()
                .filter(m -> m.kind() == MapSpec.MapKind.BTF_DEFINED || m.kind() == MapSpec.MapKind.LEGACY)
                .filter(m -> !m.name().startsWith("__bpf_usdt_"))
                .sorted(Comparator.comparing(MapSpec::name)).toList();
        List<ProgramSpec> programs = spec.programs().stream().sorted(Comparator.comparing(ProgramSpec::name))
                .toList();
        // Kconfig externs are filled in by the loader from the running kernel; there is nothing to read or set.
        List<VariableSpec> declared = spec.variables().stream().filter(VariableSpec::global)
                .filter(v -> spec.map(v.mapName()).map(m -> m.kind() != MapSpec.MapKind.KCONFIG).orElse(true))
                .sorted(Comparator.comparing(VariableSpec::name)).toList();
        // A pointer no program refers to holds nothing a program reads: cilium/ebpf's examples declare
        // "const struct event *unused" only to put the struct into BTF. It gets no accessors.
        List<VariableSpec> typeAnchors = declared.stream()
                .filter(v -> btf.resolve(v.typeId()) instanceof BtfType.Pointer && !referenced(spec, v)).toList();
        List<VariableSpec> variables = declared.stream().filter(v -> !typeAnchors.contains(v)).toList();

        NameScope members = new NameScope(CLASS_RESERVED);
        List<MethodSpec> programAccessors = new ArrayList<>();
        for (ProgramSpec program : programs) {
            MethodSpec.Builder accessor = MethodSpec.methodBuilder(members.allocate(JavaNames.memberName(
                    program.name()))).addModifiers(Modifier.PUBLIC).returns(BpfProgram.class)
                    .addJavadoc("Program {@code $L}, section {@code $L}$L.\n", program.name(),
                            RecordGenerator.javadocText(program.sectionName()),
                            ProgramAttachment.typeText(program));
            ProgramAttachment.doc(program).ifPresent(d -> accessor.addJavadoc("\n<p>$L\n", d));
            programAccessors.add(accessor.addJavadoc("\n@return the loaded program\n")
                    .addStatement("return object.program($S)", program.name()).build());
        }

        TypeSpec.Builder type = TypeSpec.classBuilder(className).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addAnnotation(AnnotationSpec.builder(Generated.class).addMember("value", "$S", GENERATOR)
                        .addMember("from", "$S", source.relativePath()).build())
                .addSuperinterface(AutoCloseable.class)
                .addJavadoc(classJavadoc(source, spec, targets, programs, programAccessors, maps, variables,
                        typeAnchors));
        addConstants(type, constants);
        type.addField(FieldSpec.builder(BpfObject.class, "object", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("The loaded object the accessors read from; closed by {@link #close()}.\n").build());
        List<MapAccessors.Accessor> mapMethods = new ArrayList<>();
        for (MapSpec map : maps) {
            String name = members.allocate(JavaNames.memberName(map.name()));
            boolean readable = (map.type() == MapType.RINGBUF || map.type() == MapType.PERF_EVENT_ARRAY
                    || map.type() == MapType.USER_RINGBUF) && map.valueTypeId() != 0;
            String reader = readable ? members.allocate("open" + JavaNames.typeName(map.name())) : name;
            mapMethods.add(mapAccessors.of(map, name, reader));
        }
        ClassName globals = className.nestedClass("Globals");
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

        MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addJavadoc("The typed view of {@code object}; closes it when a typed view cannot be made.\n\n"
                        + "@param object the object as loaded by {@link Options#load()}\n")
                .addParameter(BpfObject.class, "object").addStatement("this.object = object");
        List<CodeBlock> initializers = new ArrayList<>();
        for (MapAccessors.Accessor accessor : mapMethods) {
            accessor.field().ifPresent(type::addField);
            accessor.initializer().ifPresent(initializers::add);
        }
        if (!variables.isEmpty()) {
            type.addField(FieldSpec.builder(globals, "globals", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("The global variables, looked up once at load.\n").build());
            initializers.add(CodeBlock.of("this.globals = new $T(object)", globals));
        }
        if (!initializers.isEmpty()) {
            // A typed view that cannot be made (a map resized at load to no longer fit its type) must not leave the
            // loaded object open.
            constructor.beginControlFlow("try");
            initializers.forEach(i -> constructor.addStatement("$L", i));
            constructor.nextControlFlow("catch ($T e)", RuntimeException.class)
                    .addStatement("object.close()")
                    .addStatement("throw e")
                    .endControlFlow();
        }
        type.addMethod(constructor.build());

        String targetList = targets.stream().map(t -> "\"" + t.targetName() + "\"").collect(Collectors.joining(", "));
        type.addMethod(MethodSpec.methodBuilder("spec").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ObjectSpec.class)
                .addJavadoc("Reads the object embedded beside this class for this host ($L), parsed anew on every"
                        + " call. The spec is a description to inspect; change how the object loads with"
                        + " {@link #options()}.\n\n@return the object's programs, maps, variables and BTF as the"
                        + " compiler wrote them\n", targets.stream().map(Target::targetName)
                        .collect(Collectors.joining(", ")))
                .addComment("Opened from this class's module: a named module need not open its package to the"
                        + " runtime.")
                .addStatement("return $T.read($T.class, $T.class::getResourceAsStream, $S, $L)",
                        EmbeddedObject.class, className, className, source.baseName(), targetList).build());
        ClassName options = className.nestedClass("Options");
        type.addMethod(MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(className)
                .addJavadoc("Loads the object with default options: maps created, programs loaded, nothing"
                        + " attached.\n\n@return the loaded object; close it to detach and free everything\n"
                        + "@throws io.github.bpf2java.ebpf.error.BpfException when the kernel refuses\n")
                .addStatement("return options().load()").build());
        type.addMethod(MethodSpec.methodBuilder("options").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(options)
                .addJavadoc("Options to set global variables and map sizes before {@link Options#load()}.\n\n"
                        + "@return new options with nothing set: the object loads as compiled\n")
                .addStatement("return new $T()", options).build());

        programAccessors.forEach(type::addMethod);
        for (MapAccessors.Accessor accessor : mapMethods) {
            type.addMethod(accessor.method());
            accessor.reader().ifPresent(type::addMethod);
        }
        if (!variables.isEmpty()) {
            type.addMethod(MethodSpec.methodBuilder("globals").addModifiers(Modifier.PUBLIC).returns(globals)
                    .addJavadoc("The global variables, read and written in their sections' memory after load.\n\n"
                            + "@return typed getters and setters of the variables\n")
                    .addStatement("return globals").build());
        }
        type.addMethod(MethodSpec.methodBuilder("attach").addModifiers(Modifier.PUBLIC)
                .returns(AttachReport.class)
                .addJavadoc(ProgramAttachment.attachDoc(programs, programAccessors.stream().map(MethodSpec::name)
                        .toList()))
                .addStatement("return object.attachAll()").build());
        type.addMethod(MethodSpec.methodBuilder("object").addModifiers(Modifier.PUBLIC).returns(BpfObject.class)
                .addJavadoc("The loaded object, for what the typed accessors do not cover.\n\n"
                        + "@return the object this class is a typed view of; it closes with this one\n")
                .addStatement("return object").build());
        type.addMethod(MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Detaches and closes every link, program and map of the object.\n")
                .addStatement("object.close()").build());

        if (!variables.isEmpty()) {
            type.addType(new GlobalsClass(btf, records, nestedMarker).generate(className, globals, variables));
        }
        type.addType(new OptionsClass(btf, records, nestedMarker).generate(className, options, variables,
                !maps.isEmpty(), maps.stream().anyMatch(m -> m.pinning() == 1)));
        records.generate().forEach(type::addType);
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

    /**
     * The integer {@code #define}s of the source and of the project headers it includes as {@code public static
     * final} constants.
     */
    private static void addConstants(TypeSpec.Builder type, List<DefinedConstant> constants) {
        NameScope names = new NameScope(Set.of("object", "globals"));
        for (DefinedConstant constant : constants) {
            String name = names.allocate(SourceVersion.isIdentifier(constant.name())
                    && !SourceVersion.isKeyword(constant.name()) ? constant.name()
                    : JavaNames.constantName(constant.name()));
            FieldSpec.Builder field = constant.fitsInt()
                    ? FieldSpec.builder(TypeName.INT, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                            .initializer("$L", literal((int) constant.value()))
                    : FieldSpec.builder(TypeName.LONG, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                            .initializer("$L", literal(constant.value()));
            type.addField(field.addJavadoc("{@code #define $L $L} in {@code $L}.\n", constant.name(),
                    RecordGenerator.javadocText(constant.text()), RecordGenerator.javadocText(constant.file()))
                    .build());
        }
    }

    private static String literal(int value) {
        return value == Integer.MIN_VALUE ? "0x80000000" : Integer.toString(value);
    }

    private static String literal(long value) {
        return value == Long.MIN_VALUE ? "0x8000000000000000L" : value + "L";
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

    /** Whether an instruction of the object addresses {@code variable}: a program reads or writes it. */
    private static boolean referenced(ObjectSpec spec, VariableSpec variable) {
        return spec.functions().values().stream().flatMap(f -> f.relocations().stream())
                .anyMatch(r -> r instanceof Relocation.MapValueReference ref
                        && ref.mapName().equals(variable.mapName()) && ref.offset() >= variable.offset()
                        && ref.offset() < (long) variable.offset() + Math.max(1, variable.size()));
    }

    private static CodeBlock classJavadoc(BpfSource source, ObjectSpec spec, List<Target> targets,
            List<ProgramSpec> programs, List<MethodSpec> accessors, List<MapSpec> maps, List<VariableSpec> variables,
            List<VariableSpec> typeAnchors) {
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("eBPF object {@code $L}, compiled for $L.\n", source.relativePath(),
                        targets.stream().map(Target::targetName).collect(Collectors.joining(", ")));
        doc.add("\n<p>Programs: $L. Maps: $L. Global variables: $L. License: {@code $L}.\n",
                names(programs.stream().map(ProgramSpec::name).toList()),
                names(maps.stream().map(MapSpec::name).toList()),
                names(variables.stream().map(VariableSpec::name).toList()),
                spec.license().isEmpty() ? "none" : spec.license());
        if (!typeAnchors.isEmpty()) {
            doc.add("\n<p>Without accessors: $L, a pointer no program uses (declared to put a type into the BTF).\n",
                    names(typeAnchors.stream().map(VariableSpec::name).toList()));
        }
        doc.add("\n<pre>{@code\ntry ($L bpf = $L.load()) {\n", source.className(), source.className());
        exampleAttachments(programs, accessors).forEach(line -> doc.add("    $L\n", line));
        doc.add("    ...\n}\n}</pre>\n");
        doc.add("\n<p>Generated by bpf2java; do not edit.\n");
        return doc.build();
    }

    /** How the class example attaches the programs: only calls the spec says are right for them. */
    private static List<String> exampleAttachments(List<ProgramSpec> programs, List<MethodSpec> accessors) {
        List<String> lines = new ArrayList<>();
        // attach() throws for an object with a section it cannot read: the example attaches that one by hand.
        boolean attachThrows = programs.stream().anyMatch(p -> ProgramAttachment.malformedTarget(p).isPresent());
        if (!attachThrows && programs.stream().anyMatch(ProgramAttachment::bySection)) {
            lines.add("bpf.attach();");
        }
        for (int i = 0; i < programs.size() && lines.size() < 4; i++) {
            String accessor = accessors.get(i).name();
            ProgramAttachment.manualCall(programs.get(i)).ifPresent(c -> lines.add("bpf." + accessor + "()."
                    + c.example() + ";"));
        }
        if (lines.isEmpty() && !programs.isEmpty() && !attachThrows) {
            lines.add("bpf.attach().unattached().forEach(u -> System.err.println(u.message()));");
        }
        return lines;
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "none" : names.stream().map(n -> "{@code " + n + "}")
                .collect(Collectors.joining(", "));
    }
}
