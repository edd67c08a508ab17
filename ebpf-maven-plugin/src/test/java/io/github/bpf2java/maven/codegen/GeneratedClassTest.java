package io.github.bpf2java.maven.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.LoadOptions;
import io.github.bpf2java.ebpf.TypedMap;
import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.generate.GenerateOrchestrator;
import io.github.bpf2java.maven.pch.PrecompiledHeaderMode;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates the classes of real objects compiled by clang, compiles them with {@code -Xlint:all -Werror}, and checks
 * that the records read and write the bytes clang laid out for the initialized global {@code sample} of
 * {@code types.c}.
 */
class GeneratedClassTest {

    @TempDir
    Path dir;

    private TestProject project;
    private ClassLoader loader;

    @BeforeEach
    void generateAndCompile() throws Exception {
        project = new TestProject(dir.resolve("p"));
        project.addFixture("types.c", "types.c");
        project.addFixture("counter.c", "counter.c");
        new GenerateOrchestrator().execute(project.request(List.of(Target.BPFEL, Target.BPFEB),
                new PrecompiledHeaderMode.Auto(), Optional.empty(), List.of("point")), BuildLog.silent());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> args = List.of("-Xlint:all", "-Werror", "--release", "17", "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path"));
        boolean ok;
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            ok = javac.getTask(diagnostics, files, null, args, null, files.getJavaFileObjects(
                    project.generatedSources().resolve("com/example/ebpf/Types.java"),
                    project.generatedSources().resolve("com/example/ebpf/Counter.java"))).call();
        }
        assertTrue(ok, "generated code compiles without warnings:\n" + diagnostics);
        loader = new URLClassLoader(new URL[] {classes.toUri().toURL(),
                project.generatedResources().toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void recordDecodesTheBytesClangLaidOut() throws Exception {
        Object event = invokeStatic("Types$Event", "decode", byte[].class, sampleBytes());
        assertEquals(4242, get(event, "pid"));
        assertEquals(0x0102030405060708L, get(event, "timestampNs"));
        assertEquals("bash", get(event, "comm"));
        Object inner = get(event, "inner");
        assertEquals((byte) 7, get(inner, "level"));
        assertEquals(-5, get(inner, "delta"));
        assertEquals(1, get(event, "state"));
        assertEquals("STATE_RUNNING", get(event, "stateEnum").toString());
        assertEquals((byte) 5, get(event, "flags"));
        assertEquals((byte) 19, get(event, "mode"));
        assertEquals(-3, get(event, "signedBits"));
        Object raw = get(event, "raw");
        assertEquals(0xdeadbeef, get(raw, "asInt"));
        assertArrayEquals(new byte[] {(byte) 0xef, (byte) 0xbe, (byte) 0xad, (byte) 0xde}, (byte[]) get(raw, "bytesMember"),
                "a member named like the union's bytes() is named for what it is, not numbered");
        assertArrayEquals(Codecs.toBytes(Codecs.U32, 0xdeadbeef), (byte[]) get(raw, "bytes"));
        assertArrayEquals(new int[] {1, -2, 3, -4}, (int[]) get(event, "values"));
        assertEquals(0L, get(event, "ptr"));
        Object[] points = (Object[]) get(event, "points");
        assertEquals((short) 20, get(points[1], "x"));
        assertEquals((short) -20, get(points[1], "y"));
        assertEquals(true, get(event, "ok"));
        assertEquals(99L, get(event, "class_"));
        assertEquals(4242L, get(event, "pidUnsigned"));
    }

    @Test
    void anEnumWhoseValuesBtfCutTo32BitsStaysANumber() throws Exception {
        // enum wide : __u64 { ..., WIDE_BIG = 0x123456789abcdef0 }: BTF holds 0x9abcdef0, so a Java enum would name a
        // wrong number; the global is a long instead, and no enum class is made for it.
        String source = Files.readString(project.generatedSources().resolve("com/example/ebpf/Types.java"));
        assertFalse(source.contains("enum Wide"), "no Java enum of truncated values");
        assertTrue(source.contains("public long wideValue()"), "the global is its 8-byte number");
    }

    @Test
    void networkOrderMembersPrintAsTheirNumbers() throws Exception {
        // 443 and 10.1.2.3 as the wire has them; plain is a host-order __u16 (7, little-endian on this host).
        byte[] bytes = {0x01, (byte) 0xbb, 0, 0, 10, 1, 2, 3, 7, 0, 0, 0};
        Object flow = invokeStatic("Types$Flow", "decode", byte[].class, bytes);
        assertEquals(443, get(flow, "portHostOrder"));
        assertEquals("Flow[port=443, addr=167838211, plain=7]", flow.toString());
        assertEquals(flow, invokeStatic("Types$Flow", "decode", byte[].class, bytes.clone()), "still a value");
    }

    @Test
    void theBigEndianObjectDecodesToTheSameRecordInItsOwnByteOrder() throws Exception {
        // The record's CODEC reads in the buffer's byte order: the bpfeb object's bytes, bit fields included, give
        // the same values as the bpfel object's (arrays compared by their text).
        Class<?> type = loader.loadClass("com.example.ebpf.Types$Event");
        Codec<?> codec = (Codec<?>) type.getField("CODEC").get(null);
        assertEquals("Codec[struct event, 104 bytes]", codec.toString(), "named like the runtime's codecs");
        Object little = null;
        for (String target : List.of("bpfel", "bpfeb")) {
            ObjectSpec spec = ObjectSpec.read("types", Files.readAllBytes(
                    project.generatedResources().resolve("com/example/ebpf/types_" + target + ".o")));
            Object decoded = codec.decode(ByteBuffer.wrap(sampleBytes(spec)).order(spec.byteOrder()), 0);
            assertEquals((byte) 5, get(decoded, "flags"), target);
            assertEquals((byte) 19, get(decoded, "mode"), target);
            assertEquals(-3, get(decoded, "signedBits"), target);
            if (little == null) {
                little = decoded;
                continue;
            }
            // A union keeps its bytes as they are, in the object's order; every other component is a value.
            for (RecordComponent c : type.getRecordComponents()) {
                if (!c.getName().equals("raw")) {
                    assertEquals(Arrays.deepToString(new Object[] {c.getAccessor().invoke(little)}),
                            Arrays.deepToString(new Object[] {c.getAccessor().invoke(decoded)}), c.getName());
                }
            }
        }
    }

    @Test
    void recordEncodesBackToTheSameBytes() throws Exception {
        byte[] bytes = sampleBytes();
        Object event = invokeStatic("Types$Event", "decode", byte[].class, bytes);
        byte[] encoded = (byte[]) event.getClass().getMethod("encode").invoke(event);
        assertArrayEquals(bytes, encoded);
        assertEquals(104, event.getClass().getField("SIZE").get(null));
    }

    @Test
    void recordsWithArraysAreValues() throws Exception {
        Object a = invokeStatic("Types$Event", "decode", byte[].class, sampleBytes());
        Object b = invokeStatic("Types$Event", "decode", byte[].class, sampleBytes());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertTrue(a.toString().contains("comm=bash,"), a.toString());
        assertTrue(a.toString().contains("values=[1, -2, 3, -4]"), a.toString());
        byte[] other = sampleBytes();
        other[0]++;
        assertNotEquals(a, invokeStatic("Types$Event", "decode", byte[].class, other));
    }

    @Test
    void unknownEnumValuesDecodeWithoutThrowing() throws Exception {
        byte[] bytes = sampleBytes();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 12345);
        Object event = invokeStatic("Types$Event", "decode", byte[].class, bytes);
        assertEquals(12345, get(event, "state"), "the raw value survives");
        assertEquals("UNRECOGNIZED", get(event, "stateEnum").toString());
        assertArrayEquals(bytes, (byte[]) event.getClass().getMethod("encode").invoke(event));
        assertEquals("STATE_DEAD", invokeStatic("Types$State", "of", long.class, 0x80000000L).toString());
        // The enum is unsigned (STATE_DEAD is 0x80000000): toString prints its number from 0 up, as C means it.
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 0x80000000);
        Object dead = invokeStatic("Types$Event", "decode", byte[].class, bytes);
        assertTrue(dead.toString().contains("state=2147483648,"), dead.toString());
    }

    @Test
    void aRecordWithEnumMembersIsAlsoMadeFromEnumConstants() throws Exception {
        Object event = invokeStatic("Types$Event", "decode", byte[].class, sampleBytes());
        Class<?> type = event.getClass();
        Class<?> state = loader.loadClass("com.example.ebpf.Types$State");
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] parameters = new Class<?>[components.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = components[i].getAccessor().invoke(event);
            parameters[i] = components[i].getType();
        }
        int at = component(type, "state");
        parameters[at] = state;
        Object dead = state.getField("STATE_DEAD").get(null);
        args[at] = dead;
        Constructor<?> byEnum = type.getConstructor(parameters);
        Object made = byEnum.newInstance(args);
        assertEquals(dead, get(made, "stateEnum"));
        assertEquals((int) 0x80000000L, get(made, "state"), "stored as the constant's C value");
        args[at] = state.getField("UNRECOGNIZED").get(null);
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> byEnum.newInstance(args));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void encodeRejectsWhatDoesNotFitItsCType() throws Exception {
        Object event = invokeStatic("Types$Event", "decode", byte[].class, sampleBytes());
        Class<?> type = event.getClass();
        Object[] args = new Object[type.getRecordComponents().length];
        for (int i = 0; i < args.length; i++) {
            args[i] = type.getRecordComponents()[i].getAccessor().invoke(event);
        }
        Object[] shortValues = args.clone();
        shortValues[component(type, "values")] = new int[3];
        Object tooFew = canonical(type).newInstance(shortValues);
        InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> type.getMethod("encode").invoke(tooFew));
        assertTrue(e.getCause().getMessage().contains("exactly 4 elements, got 3"), e.getCause().getMessage());
        Object[] longComm = args.clone();
        longComm[component(type, "comm")] = "a name far longer than sixteen bytes";
        Object tooLong = canonical(type).newInstance(longComm);
        InvocationTargetException s = assertThrows(InvocationTargetException.class,
                () -> type.getMethod("encode").invoke(tooLong));
        assertTrue(s.getCause().getMessage().contains("char[16] holds at most 16"), s.getCause().getMessage());
        // Bit fields: refused beyond what the C field holds, by its own signedness, never cut off.
        Object[] tooWide = args.clone();
        tooWide[component(type, "signedBits")] = 64;                   // __s32 signed_bits : 7 holds -64..63
        Object wide = canonical(type).newInstance(tooWide);
        InvocationTargetException b = assertThrows(InvocationTargetException.class,
                () -> type.getMethod("encode").invoke(wide));
        assertTrue(b.getCause().getMessage().contains("value 64 does not fit the 7-bit"), b.getCause().getMessage());
        Object[] negative = args.clone();
        negative[component(type, "flags")] = (byte) -1;                // __u8 flags : 3 holds 0..7
        Object below = canonical(type).newInstance(negative);
        assertThrows(InvocationTargetException.class, () -> type.getMethod("encode").invoke(below));
        Object[] fits = args.clone();
        fits[component(type, "signedBits")] = -64;
        fits[component(type, "flags")] = (byte) 7;
        Object edge = canonical(type).newInstance(fits);
        Object back = invokeStatic("Types$Event", "decode", byte[].class, type.getMethod("encode").invoke(edge));
        assertEquals(-64, get(back, "signedBits"));
        assertEquals((byte) 7, get(back, "flags"));
        // A null member: named, with its record's C type, rather than the codec's bare NullPointerException.
        for (String member : List.of("comm", "inner", "values")) {
            Object[] withNull = args.clone();
            withNull[component(type, member)] = null;
            Object record = canonical(type).newInstance(withNull);
            InvocationTargetException n = assertThrows(InvocationTargetException.class,
                    () -> type.getMethod("encode").invoke(record));
            assertInstanceOf(NullPointerException.class, n.getCause());
            assertEquals(member + " of struct event is null", n.getCause().getMessage());
        }
        InvocationTargetException tooShort = assertThrows(InvocationTargetException.class,
                () -> invokeStatic("Types$Event", "decode", byte[].class, new byte[10]));
        assertTrue(tooShort.getCause() instanceof IllegalArgumentException);
    }

    /** The record's canonical constructor: it may have others (one taking enum constants). */
    private static Constructor<?> canonical(Class<?> record) throws NoSuchMethodException {
        return record.getDeclaredConstructor(Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getType).toArray(Class<?>[]::new));
    }

    private static int component(Class<?> record, String name) {
        RecordComponent[] components = record.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no component " + name);
    }

    @Test
    void classHasOneAccessorPerProgramMapAndVariable() throws Exception {
        Class<?> types = loader.loadClass("com.example.ebpf.Types");
        for (String name : List.of("countPackets", "handleExec", "eventsByPid", "globals", "attach", "object",
                "close")) {
            assertTrue(Arrays.stream(types.getMethods()).anyMatch(m -> m.getName().equals(name)), name);
        }
        assertEquals(TypedMap.class, types.getMethod("eventsByPid").getReturnType());
        Class<?> globals = loader.loadClass("com.example.ebpf.Types$Globals");
        Class<?> event = loader.loadClass("com.example.ebpf.Types$Event");
        assertEquals(event, globals.getMethod("sample").getReturnType());
        assertEquals(long.class, globals.getMethod("seen").getReturnType());
        globals.getMethod("setSeen", long.class);
        assertEquals(int.class, globals.getMethod("targetPid").getReturnType());
        assertEquals(long.class, globals.getMethod("targetPidUnsigned").getReturnType());
        assertEquals(boolean.class, globals.getMethod("verbose").getReturnType());
        assertEquals(loader.loadClass("com.example.ebpf.Types$State"), globals.getMethod("wantedState")
                .getReturnType());
        assertFalse(Arrays.stream(globals.getMethods()).anyMatch(m -> m.getName().equals("setTargetPid")),
                "a const volatile variable is set before load only");
        assertFalse(Arrays.stream(globals.getMethods()).anyMatch(m -> m.getName().equals("linuxKernelVersion")),
                "kconfig externs are the loader's business");
        Class<?> options = loader.loadClass("com.example.ebpf.Types$Options");
        assertEquals(options, options.getMethod("targetPid", int.class).getReturnType());
        assertEquals(options, options.getMethod("verbose", boolean.class).getReturnType());
        assertEquals(options, options.getMethod("sample", event).getReturnType());
        loader.loadClass("com.example.ebpf.Types$Point");
        assertTrue(hasClassRetainedGeneratedMarker(types), "@Generated is kept in the class file");
        assertTrue(hasClassRetainedGeneratedMarker(event), "and in the nested records'");
    }

    /** The {@code @Generated} marker is in the class file (CLASS retention): javap would show it, reflection not. */
    private boolean hasClassRetainedGeneratedMarker(Class<?> type) throws Exception {
        byte[] classFile;
        try (var in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            classFile = in.readAllBytes();
        }
        String text = new String(classFile, java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.contains("RuntimeInvisibleAnnotations") && text.contains("Lio/github/bpf2java/ebpf/Generated;");
    }

    @Test
    void optionsPassTypedValuesAndFurtherSettingsToTheLoader() throws Exception {
        Object options = invokeStatic("Types", "options", null, null);
        options.getClass().getMethod("targetPid", int.class).invoke(options, 4711);
        Consumer<LoadOptions.Builder> settings = b -> b.programs(Set.of("handle_exec")).valueSize("events_by_pid", 16);
        options.getClass().getMethod("configure", Consumer.class).invoke(options, settings);
        LoadOptions built = (LoadOptions) options.getClass().getMethod("toLoadOptions").invoke(options);
        assertEquals(Optional.of(Set.of("handle_exec")), built.programs());
        assertEquals(16, built.valueSizes().get("events_by_pid"));
        assertEquals(4711, ByteBuffer.wrap(built.constants().get("target_pid")).order(ByteOrder.nativeOrder())
                .getInt());
    }

    @Test
    void anUnsignedIntegerIsAlsoSetFromItsUnsignedValueAndOneItCannotHoldIsRefused() throws Exception {
        Object options = invokeStatic("Types", "options", null, null);
        Method unsigned = options.getClass().getMethod("targetPid", long.class);   // const volatile __u32 target_pid
        unsigned.invoke(options, 4_294_967_295L);
        LoadOptions built = (LoadOptions) options.getClass().getMethod("toLoadOptions").invoke(options);
        assertEquals(-1, ByteBuffer.wrap(built.constants().get("target_pid")).order(ByteOrder.nativeOrder())
                .getInt(), "all 32 bits set");
        for (long outside : new long[] {-1, 4_294_967_296L}) {
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> unsigned.invoke(options, outside));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("target_pid holds 0 to 4294967295, not " + outside),
                    e.getCause().getMessage());
        }
    }

    @Test
    void specReadsTheEmbeddedObjectForThisHost() throws Exception {
        Object spec = invokeStatic("Types", "spec", null, null);
        assertEquals(ByteOrder.nativeOrder(), ((ObjectSpec) spec).byteOrder());
        assertTrue(((ObjectSpec) spec).program("handle_exec").isPresent());
    }

    @Test
    void generatingTwiceGivesTheSameSource() throws Exception {
        Path generated = project.generatedSources().resolve("com/example/ebpf/Types.java");
        String first = Files.readString(generated);
        Files.delete(project.root().resolve("target/ebpf-cache/state"));
        new GenerateOrchestrator().execute(project.request(List.of(Target.BPFEL, Target.BPFEB),
                new PrecompiledHeaderMode.Auto(), Optional.empty(), List.of("point")), BuildLog.silent());
        assertEquals(first, Files.readString(generated));
        assertFalse(first.contains("\t"));
        assertEquals(List.of(), first.lines().filter(l -> l.length() > 140).toList(), "lines stay readable");
    }

    /** The bytes of the global {@code sample} as clang initialized them in {@code .data} (bpfel object). */
    private byte[] sampleBytes() throws Exception {
        byte[] object = Files.readAllBytes(project.generatedResources().resolve("com/example/ebpf/types_bpfel.o"));
        return sampleBytes(ObjectSpec.read("types", object));
    }

    private static byte[] sampleBytes(ObjectSpec spec) {
        VariableSpec sample = spec.variable("sample").orElseThrow();
        MapSpec data = spec.map(sample.mapName()).orElseThrow();
        return Arrays.copyOfRange(data.contents(), sample.offset(), sample.offset() + sample.size());
    }

    private Object invokeStatic(String className, String method, Class<?> parameter, Object argument)
            throws Exception {
        Class<?> type = loader.loadClass("com.example.ebpf." + className);
        if (parameter == null) {
            return type.getMethod(method).invoke(null);
        }
        return type.getMethod(method, parameter).invoke(null, argument);
    }

    private static Object get(Object target, String accessor) throws Exception {
        Method method = target.getClass().getMethod(accessor);
        return method.invoke(target);
    }
}
