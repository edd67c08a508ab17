package io.github.bpf2java.maven.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.generate.GenerateOrchestrator;
import io.github.bpf2java.maven.pch.PrecompiledHeaderMode;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated class of {@code src/test/bpf/golden.c} (maps of several kinds, globals in every data section, records
 * with bit fields, unions, arrays, enums, strings and anonymous members, several programs, a ring buffer with a typed
 * record, {@code #define}s) is committed as {@code src/test/golden/com/example/ebpf/Golden.java}: every change of the
 * generator shows up there as a diff to review. After an intended change, rewrite it with
 *
 * <pre>
 * ./mvnw -B verify -pl ebpf-maven-plugin -am -Dtest=GoldenClassTest -Dgolden.update=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>The objects come from the default {@code clang} (Debian's clang 14 on the reference machine); another clang
 * may order or name BTF types differently, or record more, which shows up here too: clang 15 and later mark signed
 * enums, so with them {@code enum direction} (its {@code INGRESS} is -1) is generated signed, where clang 14's BTF
 * leaves it unsigned.
 */
class GoldenClassTest {
    /** The committed golden class, relative to the module. */
    static final Path GOLDEN = Path.of("src/test/golden/com/example/ebpf/Golden.java");

    @TempDir
    Path dir;

    @Test
    void theGeneratedClassEqualsTheGoldenOne() throws Exception {
        TestProject project = new TestProject(dir.resolve("p"));
        project.addFixture("golden.c", "golden.c");
        new GenerateOrchestrator().execute(project.request(List.of(Target.BPFEL, Target.BPFEB),
                new PrecompiledHeaderMode.Auto(), Optional.empty(), List.of()), BuildLog.silent());
        Path generated = project.generatedSources().resolve("com/example/ebpf/Golden.java");
        String actual = Files.readString(generated);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, actual);
        }
        assertTrue(Files.exists(GOLDEN), "no golden class at " + GOLDEN.toAbsolutePath()
                + "; write it with -Dgolden.update=true");
        assertEquals(Files.readString(GOLDEN), actual, "the generated class differs from the golden one; review the"
                + " difference and, if it is intended, rewrite it with -Dgolden.update=true");

        // The golden class compiles without a warning, and carries no codec code of its own.
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok;
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            ok = javac.getTask(diagnostics, files, null, List.of("-Xlint:all", "-Werror", "--release", "17", "-d",
                    classes.toString(), "-classpath", System.getProperty("java.class.path")), null,
                    files.getJavaFileObjects(generated)).call();
        }
        assertTrue(ok, "the golden class compiles without warnings:\n" + diagnostics);
        for (String copied : List.of("getBits", "putBits", "checkRemaining", "getStructs", "private static byte[]")) {
            assertFalse(actual.contains(copied), "codec code copied into the class: " + copied);
        }
    }
}
