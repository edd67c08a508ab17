package io.github.bpf2java.maven.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.generate.GenerateOrchestrator;
import io.github.bpf2java.maven.source.BpfSource;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-file guard: its estimates are upper bounds of what javac really writes for the generator's output (and
 * not wildly above), and a class over a limit fails with the source, the class and the count named.
 */
class ClassFileLimitsTest {

    @TempDir
    Path dir;

    /** Many programs, maps and globals, a 1,000-value enum and a 150-field struct, from clang through javac. */
    @Test
    void estimatesAreUpperBoundsOfWhatJavacWrites() throws Exception {
        TestProject project = new TestProject(dir.resolve("p"));
        project.write("big.c", bigSource());
        project.addFixture("types.c", "types.c");
        new GenerateOrchestrator().execute(project.requestBuilder().targets(List.of(Target.BPFEL)).build(),
                BuildLog.silent());

        Map<String, ClassFileLimits.ClassFile> estimates = new HashMap<>();
        for (String base : List.of("big", "types")) {
            ObjectSpec spec = ObjectSpec.read(base, Files.readAllBytes(
                    project.generatedResources().resolve("com/example/ebpf/" + base + "_bpfel.o")));
            String className = Character.toUpperCase(base.charAt(0)) + base.substring(1);
            BpfSource source = new BpfSource(project.bpfDirectory().resolve(base + ".c"), base + ".c", base,
                    className);
            new ObjectClassGenerator("com.example.ebpf", List.of()).generate(source, spec, List.of(Target.BPFEL))
                    .classFiles().forEach(f -> estimates.put(f.binaryName(), f));
        }

        Path classes = compile(project, "Big.java", "Types.java");
        int checked = 0;
        for (ClassFileLimits.ClassFile estimate : estimates.values()) {
            Path file = classes.resolve(estimate.binaryName().replace('.', '/') + ".class");
            ClassFileFacts actual = ClassFileFacts.read(file);
            String name = estimate.binaryName();
            assertTrue(actual.constantPoolEntries() <= estimate.constantPoolEntries(),
                    name + ": javac wrote " + actual.constantPoolEntries() + " entries, estimated " + estimate);
            assertTrue(estimate.constantPoolEntries() <= actual.constantPoolEntries() * 1.25 + 450,
                    name + ": the estimate is far above javac's " + actual.constantPoolEntries() + ": " + estimate);
            assertTrue(actual.maxParameterSlots() <= estimate.maxParameterSlots(),
                    name + ": javac's methods take " + actual.maxParameterSlots() + " slots, estimated " + estimate);
            assertTrue(actual.staticInitializerBytes() <= Math.max(estimate.staticInitializerBytes(), 200),
                    name + ": javac's static initializer has " + actual.staticInitializerBytes() + " bytes, estimated "
                            + estimate);
            checked++;
        }
        assertEquals(estimates.size(), checked);
        assertTrue(estimates.get("com.example.ebpf.Big").constantPoolEntries() > 3 * (400 + 60 + 200),
                "the outer class is estimated from its members: " + estimates.get("com.example.ebpf.Big"));
        assertTrue(estimates.get("com.example.ebpf.Big$Big2").staticInitializerBytes() > 1000 * 19,
                estimates.get("com.example.ebpf.Big$Big2").toString());
        assertEquals(1 + 100 * 2 + 50, estimates.get("com.example.ebpf.Big$Wide").maxParameterSlots());
    }

    @Test
    void tooManyProgramsFailNamingTheSourceTheCountAndTheLimit() {
        ClassName name = ClassName.get("com.example.ebpf", "Huge");
        TypeSpec.Builder type = TypeSpec.classBuilder(name);
        for (int i = 0; i < 30_000; i++) {
            type.addMethod(MethodSpec.methodBuilder("prog" + i).returns(String.class)
                    .addStatement("return $S", "prog_" + i).build());
        }
        EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> ClassFileLimits.check("net/huge.c", name,
                type.build(), "30,000 programs, 0 maps and 0 global variables"));
        assertTrue(e.getMessage().startsWith("The class Huge generated for eBPF source net/huge.c would need about"
                + " 90,401 constant-pool entries for its 30,000 programs, 0 maps and 0 global variables; a Java class"
                + " file holds at most 65,534"), e.getMessage());
        assertTrue(e.getMessage().contains("split the programs, maps and global variables of net/huge.c over"
                + " several sources"), e.getMessage());
    }

    @Test
    void aRecordWithMoreParameterSlotsThanTheJvmAllowsFailsNamingIt() {
        ClassName outer = ClassName.get("com.example.ebpf", "Wide");
        MethodSpec.Builder header = MethodSpec.constructorBuilder();
        for (int i = 0; i < 130; i++) {
            header.addParameter(TypeName.LONG, "field" + i);
        }
        TypeSpec record = TypeSpec.recordBuilder("Row").addModifiers(Modifier.PUBLIC)
                .recordConstructor(header.build()).build();
        TypeSpec type = TypeSpec.classBuilder(outer).addType(record).build();
        EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> ClassFileLimits.check("wide.c", outer,
                type, "1 program, 1 map and 0 global variables"));
        assertTrue(e.getMessage().startsWith("The class Wide.Row generated for eBPF source wide.c would need 261"
                + " parameter slots in the canonical constructor (130 components) of Wide.Row; the JVM allows at most"
                + " 255"), e.getMessage());
    }

    @Test
    void anEnumTooLargeForItsStaticInitializerFailsNamingIt() {
        ClassName outer = ClassName.get("com.example.ebpf", "Codes");
        TypeSpec.Builder values = TypeSpec.enumBuilder("Errno");
        for (int i = 0; i < 4_000; i++) {
            values.addEnumConstant("E" + i, TypeSpec.anonymousClassBuilder("$LL", i).build());
        }
        TypeSpec type = TypeSpec.classBuilder(outer).addType(values.build()).build();
        EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> ClassFileLimits.check("codes.c", outer,
                type, "1 program, 0 maps and 1 global variable"));
        assertTrue(e.getMessage().startsWith("The enum Codes.Errno generated for eBPF source codes.c has too many"
                + " constants: its static initializer would take about 80,064 bytes"), e.getMessage());
    }

    @Test
    void countsDistinctStringLiteralsOfCode() {
        assertEquals(java.util.Set.of("a", "b\\\"c", ""), ClassFileLimits.StringLiterals.in(
                "x(\"a\", 'q', '\"', \"b\\\"c\", \"a\", \"\")"));
    }

    private static String bigSource() {
        StringBuilder c = new StringBuilder("#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n\n");
        c.append("enum big {\n");
        for (int i = 0; i < 1000; i++) {
            c.append("    BIG_").append(i).append(" = ").append(i * 70_001L).append(",\n");
        }
        c.append("};\nenum big chosen = BIG_1;\n\nstruct wide {\n");
        for (int i = 0; i < 100; i++) {
            c.append("    __u64 l").append(i).append(";\n");
        }
        for (int i = 0; i < 50; i++) {
            c.append("    __u32 i").append(i).append(";\n");
        }
        c.append("};\n");
        for (int i = 0; i < 60; i++) {
            c.append("struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32);")
                    .append(" __type(value, ").append(i == 0 ? "struct wide" : "__u64").append("); } map_").append(i)
                    .append(" SEC(\".maps\");\n");
        }
        for (int i = 0; i < 100; i++) {
            c.append("__u32 counter_").append(i).append(" = 0;\n");
            c.append("const volatile __u64 setting_").append(i).append(" = 0;\n");
        }
        for (int i = 0; i < 400; i++) {
            c.append("SEC(\"xdp\") int prog_").append(i).append("(struct xdp_md *ctx) { return counter_")
                    .append(i % 100).append(" + setting_").append(i % 100).append(" + chosen; }\n");
        }
        return c.append("char LICENSE[] SEC(\"license\") = \"GPL\";\n").toString();
    }

    private Path compile(TestProject project, String... sources) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> args = List.of("--release", "17", "-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"));
        Path pkg = project.generatedSources().resolve("com/example/ebpf");
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            boolean ok = javac.getTask(diagnostics, files, null, args, null, files.getJavaFileObjects(
                    java.util.Arrays.stream(sources).map(pkg::resolve).toArray(Path[]::new))).call();
            assertTrue(ok, diagnostics.toString());
        }
        return classes;
    }

    /**
     * What a class file really holds, read from the bytes javac wrote (JVMS §4): its constant-pool entries, the most
     * parameter slots of any method (from the descriptors), and the bytecode length of its static initializer.
     */
    private record ClassFileFacts(int constantPoolEntries, int maxParameterSlots, int staticInitializerBytes) {

        static ClassFileFacts read(Path file) throws IOException {
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                in.readInt();
                in.readUnsignedShort();
                in.readUnsignedShort();
                int count = in.readUnsignedShort();
                String[] utf8 = new String[count];
                for (int i = 1; i < count; i++) {
                    int tag = in.readUnsignedByte();
                    switch (tag) {
                        case 1 -> utf8[i] = in.readUTF();
                        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                        case 5, 6 -> {
                            in.readLong();
                            i++;
                        }
                        case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                        case 15 -> {
                            in.readUnsignedByte();
                            in.readUnsignedShort();
                        }
                        default -> throw new IOException("constant-pool tag " + tag + " in " + file);
                    }
                }
                in.readUnsignedShort();
                in.readUnsignedShort();
                in.readUnsignedShort();
                in.skipNBytes(2L * in.readUnsignedShort());
                for (int fields = in.readUnsignedShort(); fields > 0; fields--) {
                    in.skipNBytes(6);
                    skipAttributes(in);
                }
                int maxSlots = 0;
                int clinit = 0;
                for (int methods = in.readUnsignedShort(); methods > 0; methods--) {
                    int access = in.readUnsignedShort();
                    String name = utf8[in.readUnsignedShort()];
                    String descriptor = utf8[in.readUnsignedShort()];
                    maxSlots = Math.max(maxSlots, slots(descriptor) + ((access & 0x0008) != 0 ? 0 : 1));
                    for (int attributes = in.readUnsignedShort(); attributes > 0; attributes--) {
                        String attribute = utf8[in.readUnsignedShort()];
                        int length = in.readInt();
                        if (attribute.equals("Code") && name.equals("<clinit>")) {
                            in.readUnsignedShort();
                            in.readUnsignedShort();
                            clinit = in.readInt();
                            in.skipNBytes(length - 8L);
                        } else {
                            in.skipNBytes(length);
                        }
                    }
                }
                return new ClassFileFacts(count - 1, maxSlots, clinit);
            }
        }

        private static void skipAttributes(DataInputStream in) throws IOException {
            for (int attributes = in.readUnsignedShort(); attributes > 0; attributes--) {
                in.readUnsignedShort();
                in.skipNBytes(in.readInt());
            }
        }

        /** Parameter slots of a method descriptor such as {@code (IJ[Ljava/lang/String;)V}. */
        private static int slots(String descriptor) {
            int slots = 0;
            int i = 1;
            while (descriptor.charAt(i) != ')') {
                boolean array = false;
                while (descriptor.charAt(i) == '[') {
                    array = true;
                    i++;
                }
                char c = descriptor.charAt(i);
                if (c == 'L') {
                    i = descriptor.indexOf(';', i);
                }
                slots += !array && (c == 'J' || c == 'D') ? 2 : 1;
                i++;
            }
            return slots;
        }
    }
}
