package io.github.bpf2java.maven.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.generate.GenerateOrchestrator;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources and C types named like {@code java.lang} types, or like the {@code Options} and {@code Globals} classes
 * generated classes nest, still give classes that compile together (with {@code -Xlint:all -Werror}) and work.
 */
class GeneratedNamesTest {

    @TempDir
    Path dir;

    @Test
    void sourcesNamedLikeJavaLangTypesOrOptionsGiveClassesThatCompileTogether() throws Exception {
        TestProject project = new TestProject(dir.resolve("p"));
        project.addFixture("names/string.c", "string.c");
        project.addFixture("names/override.c", "override.c");
        project.addFixture("names/options.c", "options.c");
        project.addFixture("names/globals.c", "globals.c");
        project.addFixture("counter.c", "counter.c");
        new GenerateOrchestrator().execute(project.request(), BuildLog.silent());

        Path pkg = project.generatedSources().resolve("com/example/ebpf");
        List<String> generated;
        try (Stream<Path> files = Files.list(pkg)) {
            generated = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("Counter.java", "GlobalsBpf.java", "OptionsBpf.java", "OverrideBpf.java",
                "StringBpf.java"), generated);

        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> args = List.of("-Xlint:all", "-Werror", "--release", "17", "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path"));
        boolean ok;
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            ok = javac.getTask(diagnostics, files, null, args, null, files.getJavaFileObjects(
                    generated.stream().map(pkg::resolve).toArray(Path[]::new))).call();
        }
        assertTrue(ok, "generated code compiles without warnings:\n" + diagnostics);

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            // maxEntries only where there are maps to size: globals.c has none (its .bss is a map, not one to size).
            assertTrue(hasMethod(loader.loadClass("com.example.ebpf.StringBpf$Options"), "maxEntries"));
            assertFalse(hasMethod(loader.loadClass("com.example.ebpf.GlobalsBpf$Options"), "maxEntries"));
            // A nested record named String: its char-array component is still a java.lang.String.
            Class<?> text = loader.loadClass("com.example.ebpf.StringBpf$String");
            Object decoded = text.getMethod("decode", byte[].class).invoke(null, (Object) new byte[] {'b', 'a', 's',
                    'h', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0});
            assertEquals("bash", text.getMethod("text").invoke(decoded));
            // Records named Object, Override and Options (the last renamed away from the nested Options class), beside
            // the generated Globals and Options.
            Class<?> outer = loader.loadClass("com.example.ebpf.OverrideBpf");
            List<String> nested = Stream.of(outer.getDeclaredClasses()).map(Class::getSimpleName).sorted().toList();
            assertEquals(List.of("Globals", "Object", "Options", "Options2", "Override"), nested);
            Class<?> options = loader.loadClass("com.example.ebpf.OptionsBpf");
            Object builder = options.getMethod("options").invoke(null);
            assertEquals("com.example.ebpf.OptionsBpf$Options", builder.getClass().getName());
            builder.getClass().getMethod("verbosity", int.class).invoke(builder, 2);
            builder.getClass().getMethod("options", int.class).invoke(builder, 1);
        }
    }

    @Test
    void cNamesThatGeneratedBodiesUseGiveAClassThatCompiles() throws Exception {
        TestProject project = new TestProject(dir.resolve("p"));
        project.addFixture("names/collisions.c", "collisions.c");
        project.addFixture("names/collision_maps.c", "collision_maps.c");
        new GenerateOrchestrator().execute(project.request(), BuildLog.silent());

        Path pkg = project.generatedSources().resolve("com/example/ebpf");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        StrictCompiler.compile(classes, List.of(pkg.resolve("Collisions.java"), pkg.resolve("CollisionMaps.java")));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            // The setters keep the names the C variables give them, whatever their parameters are called.
            Class<?> globals = loader.loadClass("com.example.ebpf.Collisions$Globals");
            globals.getMethod("setValue", String.class);
            globals.getMethod("setObject", int.class);
            globals.getMethod("setBuffer", String.class);
            globals.getMethod("setBytes", byte[].class);
            globals.getMethod("setSize", int.class);
            globals.getMethod("setOffset", long.class);
            Class<?> options = loader.loadClass("com.example.ebpf.Collisions$Options");
            options.getMethod("value", String.class);
            options.getMethod("builder", int.class);
            options.getMethod("settings", byte.class);
            options.getMethod("entries", long.class);
            Class<?> maps = loader.loadClass("com.example.ebpf.CollisionMaps");
            maps.getMethod("value");
            maps.getMethod("object2");
            maps.getMethod("openConsumer", java.util.function.Consumer.class);
            maps.getMethod("openBuffer", java.util.function.Consumer.class);
            maps.getMethod("options2");
            maps.getMethod("offset");
        }
    }

    private static boolean hasMethod(Class<?> type, String name) {
        return Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals(name));
    }
}
