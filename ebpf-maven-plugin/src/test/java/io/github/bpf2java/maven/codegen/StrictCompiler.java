package io.github.bpf2java.maven.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.DocumentationTool;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated sources as strictly as a careful user's build could: {@code javac -Xlint:all -Xdoclint:all
 * -Werror} (every lint and every doclint group, down to private members), then {@code javadoc -private
 * -Xdoclint:all -Werror}, which documents every member, private ones included.
 *
 * <p>javac before JDK 19 reports "no comment" for the implicit private fields of every record, although record
 * components are documented with {@code @param} in the record's comment and cannot carry comments of their own
 * (JDK-8284994, fixed in 19). On those JDKs javac alone runs with the {@code missing} group off for private members;
 * javadoc, which does not have that bug, still checks them, so no member goes unchecked.
 */
final class StrictCompiler {
    private StrictCompiler() {}

    /** Compiles {@code sources} into {@code classes} and runs javadoc on them; fails with the diagnostics if any. */
    static void compile(Path classes, List<Path> sources) throws IOException {
        String classPath = System.getProperty("java.class.path");
        String doclint = Runtime.version().feature() >= 19 ? "-Xdoclint:all" : "-Xdoclint:all,-missing/private";
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled;
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            compiled = javac.getTask(diagnostics, files, null, List.of("-Xlint:all", doclint, "-Werror",
                    "--release", "17", "-d", classes.toString(), "-classpath", classPath), null,
                    files.getJavaFileObjects(sources.toArray(Path[]::new))).call();
        }
        assertTrue(compiled, "javac " + doclint + " -Xlint:all -Werror compiles the generated code:\n"
                + diagnostics);

        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        Path docs = Files.createTempDirectory(classes.getParent(), "javadoc");
        StringWriter messages = new StringWriter();
        List<String> options = new ArrayList<>(List.of("-private", "-Xdoclint:all", "-Werror", "-quiet",
                "--release", "17", "-d", docs.toString(), "-classpath", classPath));
        boolean documented;
        try (StandardJavaFileManager files = javadoc.getStandardFileManager(null, null, null)) {
            documented = javadoc.getTask(messages, files, null, null, options,
                    files.getJavaFileObjects(sources.toArray(Path[]::new))).call();
        }
        assertTrue(documented, "javadoc -private -Xdoclint:all -Werror documents the generated code without a"
                + " warning:\n" + messages);
    }
}
