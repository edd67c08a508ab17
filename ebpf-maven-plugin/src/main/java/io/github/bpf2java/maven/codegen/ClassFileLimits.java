package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.github.bpf2java.maven.build.EbpfBuildException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Modifier;

/**
 * Checks a generated class against the limits of the class-file format before javac sees it, so that an object with
 * tens of thousands of programs, a struct with hundreds of fields or an enum with thousands of values fails the
 * {@code ebpf:generate} goal with the source and the count named, not javac with "too many constants" in a file the
 * user never wrote.
 *
 * <p>Each top-level or nested class becomes one class file, checked on its own (JVMS §4.1, §4.3.3, §4.7.3):
 * <ul>
 *   <li>at most {@value #MAX_CONSTANT_POOL_ENTRIES} constant-pool entries,</li>
 *   <li>at most {@value #MAX_PARAMETER_SLOTS} parameter slots per method, {@code this} included, a {@code long} or
 *       {@code double} taking two (a record's canonical constructor has one parameter per component),</li>
 *   <li>at most {@value #MAX_CODE_BYTES} bytes of bytecode per method; of the generated methods only an enum's
 *       static initializer grows without bound (a few instructions per constant). A record's methods grow with its
 *       components, but the parameter limit stops them long before.</li>
 * </ul>
 * The estimates are upper bounds from what the class declares, calibrated against javac's output
 * ({@code ClassFileLimitsTest}): entries for the names and descriptors of its methods and fields, two per distinct
 * string literal, and a fixed allowance for the types and library methods the code refers to.
 */
final class ClassFileLimits {
    /** JVMS §4.1: {@code constant_pool_count} is a u2 and entry 0 is unused. */
    static final int MAX_CONSTANT_POOL_ENTRIES = 65_534;
    /** JVMS §4.3.3. */
    static final int MAX_PARAMETER_SLOTS = 255;
    /** JVMS §4.7.3: {@code code_length} must be less than 65536. */
    static final int MAX_CODE_BYTES = 65_535;

    /**
     * Entries every class may need besides those counted per member: its own and its nested classes' names, the
     * runtime and JDK classes and methods the code calls, the attributes' names, the helpers' internals.
     */
    private static final int FIXED_ENTRIES = 400;
    /** A field: name, descriptor, and the field reference with its name-and-type for the code that uses it. */
    private static final int ENTRIES_PER_FIELD = 4;
    /**
     * How code refers to fields of other classes, each costing a field reference of its own: a record codec's
     * {@code value.pid}, the record's {@code COMM_CODEC} and another record's {@code Point.CODEC}. Group 1 is the
     * name of an unqualified codec constant, which may be the class's own field.
     */
    private static final Pattern FOREIGN_FIELD = Pattern.compile(
            "\\bvalue\\.[A-Za-z_$][\\w$]*|\\b([A-Z][A-Z0-9_]*_CODEC)\\b|\\b[A-Z][\\w$]*\\.CODEC\\b");
    /**
     * A string literal joined with a value ({@code "... not " + value}): javac makes each statement holding such an
     * expression an {@code invokedynamic} call site, its entry, name-and-type and descriptor.
     */
    private static final Pattern CONCATENATION = Pattern.compile("\"\\s*\\+\\s*[A-Za-z_(]");
    private static final int ENTRIES_PER_CONCATENATION = 3;
    /** A {@code long} literal: a {@code CONSTANT_Long} takes two entries. */
    private static final Pattern LONG_LITERAL = Pattern.compile("\\b\\d+L\\b");
    /** A call of another method of the class (an overload passing on to its sibling): method ref and name-and-type. */
    private static final int ENTRIES_PER_OWN_CALL = 2;
    /** A call without a receiver, {@code name(}: group 1 is the name, counted when the class has such a method. */
    private static final Pattern OWN_CALL = Pattern.compile("(?<![.\\w])([a-z][\\w$]*)\\(");
    /** A record component: its field (as above), its accessor's method handle and its record attribute entry. */
    private static final int ENTRIES_PER_RECORD_COMPONENT = 6;
    /** An enum constant: its field (as above) and its name as a string constant (string and UTF-8). */
    private static final int ENTRIES_PER_ENUM_CONSTANT = 6;
    /** A string literal: the string constant and its UTF-8 entry. */
    private static final int ENTRIES_PER_STRING = 2;
    /**
     * Bytecode of an enum's static initializer per constant: {@code new}, {@code dup}, {@code ldc_w} (name),
     * {@code sipush} (ordinal), {@code ldc2_w} (value), {@code invokespecial}, {@code putstatic} take 19 bytes
     * (javac wrote 18,871 for 1,000 constants).
     */
    private static final int ENUM_INITIALIZER_BYTES_PER_CONSTANT = 20;
    private static final int ENUM_INITIALIZER_FIXED_BYTES = 64;

    private ClassFileLimits() {}

    /**
     * What one class file of a generated class is estimated to need.
     *
     * @param binaryName             e.g. {@code com.example.ebpf.Counter$Options}
     * @param constantPoolEntries    an upper bound of its constant-pool entries
     * @param maxParameterSlots      the most parameter slots of any of its methods, {@code this} included
     * @param maxParameterSlotsOwner the method with that many, e.g. {@code the canonical constructor}
     * @param staticInitializerBytes an upper bound of its static initializer's bytecode (enums), else 0
     */
    record ClassFile(String binaryName, int constantPoolEntries, int maxParameterSlots, String maxParameterSlotsOwner,
            int staticInitializerBytes) {}

    /** The estimates of {@code type} (named {@code name}) and of every class nested in it, outermost first. */
    static List<ClassFile> estimate(ClassName name, TypeSpec type) {
        List<ClassFile> files = new ArrayList<>();
        collect(name.reflectionName(), type, files);
        return files;
    }

    /**
     * Fails when a class file of the generated class would break a limit.
     *
     * @param source   the C source's path, for the message
     * @param contents what the outer class holds, e.g. {@code 30000 programs, 2 maps and 1 global variable}
     * @return the estimates, for tests
     * @throws EbpfBuildException naming the source, the class, the count and the limit
     */
    static List<ClassFile> check(String source, ClassName name, TypeSpec type, String contents)
            throws EbpfBuildException {
        List<ClassFile> files = estimate(name, type);
        for (ClassFile file : files) {
            String what = file.binaryName().equals(name.reflectionName())
                    ? "its " + contents : describe(file.binaryName());
            if (file.constantPoolEntries() > MAX_CONSTANT_POOL_ENTRIES) {
                throw new EbpfBuildException(String.format("The class %s generated for eBPF source %s would need"
                        + " about %,d constant-pool entries for %s; a Java class file holds at most %,d, so javac"
                        + " would refuse it (\"too many constants\").%n  Fix: split the programs, maps and global"
                        + " variables of %s over several sources: each source gets its own class.", name.simpleName(),
                        source, file.constantPoolEntries(), what, MAX_CONSTANT_POOL_ENTRIES, source));
            }
            if (file.maxParameterSlots() > MAX_PARAMETER_SLOTS) {
                throw new EbpfBuildException(String.format("The class %s generated for eBPF source %s would need"
                        + " %,d parameter slots in %s of %s; the JVM allows at most %d (a long or double takes two)."
                        + "%n  Fix: if the struct is named in <types>, leave it out (a kernel struct such as"
                        + " task_struct is too big for a record); else use a struct with fewer fields for the map or"
                        + " global variable that needs it, or give the field groups of their own as nested structs.",
                        javaName(file.binaryName()),
                        source, file.maxParameterSlots(), file.maxParameterSlotsOwner(), javaName(file.binaryName()),
                        MAX_PARAMETER_SLOTS));
            }
            if (file.staticInitializerBytes() > MAX_CODE_BYTES) {
                throw new EbpfBuildException(String.format("The enum %s generated for eBPF source %s has too many"
                        + " constants: its static initializer would take about %,d bytes of bytecode, and a method may"
                        + " have at most %,d.%n  Fix: do not generate it (leave it out of <types>, or do not use it"
                        + " as a map key, value or global variable); use its values as plain integers.",
                        javaName(file.binaryName()), source, file.staticInitializerBytes(), MAX_CODE_BYTES));
            }
        }
        return files;
    }

    private static void collect(String binaryName, TypeSpec type, List<ClassFile> files) {
        Set<String> names = new HashSet<>();
        Set<String> descriptors = new HashSet<>();
        Set<String> strings = new HashSet<>();
        int entries = FIXED_ENTRIES;
        int maxSlots = 0;
        String maxSlotsOwner = "";
        Set<String> ownFields = new HashSet<>();
        type.fieldSpecs().forEach(f -> ownFields.add(f.name()));
        Set<String> foreignFields = new HashSet<>();
        Set<String> ownMethods = new HashSet<>();
        type.methodSpecs().forEach(m -> ownMethods.add(m.name()));
        Set<String> ownCalls = new HashSet<>();
        Set<String> longLiterals = new HashSet<>();
        int concatenations = 0;
        for (MethodSpec method : type.methodSpecs()) {
            String code = method.code().toString();
            // One invokedynamic per statement that joins strings, however many pieces: its literals live in the
            // call site's recipe, one string constant, not as constants of their own (a 150-member toString is one
            // recipe). A statement ends with ";" and a line break, which no literal holds unescaped.
            for (String statement : code.split(";\n")) {
                if (CONCATENATION.matcher(statement).find()) {
                    concatenations++;
                    strings.add("recipe of " + method.name() + ": " + statement);
                } else {
                    strings.addAll(StringLiterals.in(statement));
                }
            }
            Matcher longs = LONG_LITERAL.matcher(code);
            while (longs.find()) {
                longLiterals.add(longs.group());
            }
            Matcher call = OWN_CALL.matcher(code);
            while (call.find()) {
                if (ownMethods.contains(call.group(1))) {
                    ownCalls.add(call.group(1));
                }
            }
            names.add(method.isConstructor() ? "<init>" : method.name());
            descriptors.add(descriptor(method));
            Matcher reference = FOREIGN_FIELD.matcher(method.code().toString());
            while (reference.find()) {
                if (reference.group(1) == null || !ownFields.contains(reference.group(1))) {
                    foreignFields.add(reference.group());
                }
            }
            int slots = parameterSlots(method.parameters(), !method.modifiers().contains(Modifier.STATIC))
                    + (method.isConstructor() && type.kind() == TypeSpec.Kind.ENUM ? 2 : 0);
            if (slots > maxSlots) {
                maxSlots = slots;
                maxSlotsOwner = (method.isConstructor() ? "a constructor" : "method " + method.name() + "()");
            }
        }
        entries += (type.fieldSpecs().size() + foreignFields.size()) * ENTRIES_PER_FIELD;
        type.fieldSpecs().forEach(f -> strings.addAll(StringLiterals.in(f.initializer().toString())));
        int staticInitializerBytes = 0;
        if (type.kind() == TypeSpec.Kind.ENUM) {
            entries += type.enumConstants().size() * ENTRIES_PER_ENUM_CONSTANT;
            staticInitializerBytes = ENUM_INITIALIZER_FIXED_BYTES
                    + type.enumConstants().size() * ENUM_INITIALIZER_BYTES_PER_CONSTANT;
        }
        if (type.kind() == TypeSpec.Kind.RECORD) {
            List<TypeName> components = RecordHeader.componentTypes(type);
            entries += components.size() * ENTRIES_PER_RECORD_COMPONENT;
            int slots = 1 + components.stream().mapToInt(ClassFileLimits::slots).sum();
            if (slots > maxSlots) {
                maxSlots = slots;
                maxSlotsOwner = "the canonical constructor (" + components.size() + " components)";
            }
        }
        entries += names.size() + descriptors.size() + strings.size() * ENTRIES_PER_STRING
                + concatenations * ENTRIES_PER_CONCATENATION + longLiterals.size() * 2
                + ownCalls.size() * ENTRIES_PER_OWN_CALL;
        files.add(new ClassFile(binaryName, entries, maxSlots, maxSlotsOwner, staticInitializerBytes));
        for (TypeSpec nested : type.typeSpecs()) {
            collect(binaryName + "$" + nested.name(), nested, files);
        }
    }

    private static String descriptor(MethodSpec method) {
        StringBuilder d = new StringBuilder("(");
        method.parameters().forEach(p -> d.append(p.type()).append(';'));
        return d.append(')').append(method.isConstructor() ? "V" : method.returnType()).toString();
    }

    private static int parameterSlots(List<ParameterSpec> parameters, boolean instance) {
        return (instance ? 1 : 0) + parameters.stream().mapToInt(p -> slots(p.type())).sum();
    }

    private static int slots(TypeName type) {
        return type.equals(TypeName.LONG) || type.equals(TypeName.DOUBLE) ? 2 : 1;
    }

    private static String describe(String binaryName) {
        return "the class " + javaName(binaryName);
    }

    private static String javaName(String binaryName) {
        String simple = binaryName.substring(binaryName.lastIndexOf('.') + 1);
        return simple.replace('$', '.');
    }

    /** The distinct string literals of Java source text. */
    static final class StringLiterals {
        private StringLiterals() {}

        static Set<String> in(String code) {
            Set<String> literals = new HashSet<>();
            int i = 0;
            while (i < code.length()) {
                char c = code.charAt(i);
                if (c == '\'') {
                    i = skipQuoted(code, i, '\'', null);
                } else if (c == '"') {
                    StringBuilder literal = new StringBuilder();
                    i = skipQuoted(code, i, '"', literal);
                    literals.add(literal.toString());
                } else {
                    i++;
                }
            }
            return literals;
        }

        /** The index after the closing quote of the literal opening at {@code start}; its text into {@code out}. */
        private static int skipQuoted(String code, int start, char quote, StringBuilder out) {
            int i = start + 1;
            while (i < code.length() && code.charAt(i) != quote) {
                if (code.charAt(i) == '\\' && i + 1 < code.length()) {
                    if (out != null) {
                        out.append(code, i, i + 2);
                    }
                    i += 2;
                } else {
                    if (out != null) {
                        out.append(code.charAt(i));
                    }
                    i++;
                }
            }
            return i + 1;
        }
    }

    /**
     * The component types of a record, read from its declaration: JavaPoet keeps the canonical constructor of a
     * record to itself, so the header {@code record Name(int a, long b)} is the only place that has them.
     */
    static final class RecordHeader {
        private RecordHeader() {}

        static List<TypeName> componentTypes(TypeSpec record) {
            String text = record.toString();
            int open = text.indexOf("record " + record.name() + "(");
            if (open < 0) {
                return List.of();
            }
            List<TypeName> types = new ArrayList<>();
            int depth = 0;
            StringBuilder parameter = new StringBuilder();
            for (int i = open + ("record " + record.name() + "(").length(); i < text.length(); i++) {
                char c = text.charAt(i);
                if ((c == ',' || c == ')') && depth == 0) {
                    String p = parameter.toString().strip();
                    if (!p.isEmpty()) {
                        types.add(typeOf(p));
                    }
                    parameter.setLength(0);
                    if (c == ')') {
                        break;
                    }
                    continue;
                }
                if (c == '<' || c == '(') {
                    depth++;
                } else if (c == '>' || c == ')') {
                    depth--;
                }
                parameter.append(c);
            }
            return types;
        }

        /** {@code long} and {@code double} take two slots; any other type counts as one, like an {@code int}. */
        private static TypeName typeOf(String parameter) {
            String type = parameter.substring(0, Math.max(0, parameter.lastIndexOf(' '))).strip();
            return switch (type) {
                case "long" -> TypeName.LONG;
                case "double" -> TypeName.DOUBLE;
                default -> TypeName.INT;
            };
        }
    }
}
