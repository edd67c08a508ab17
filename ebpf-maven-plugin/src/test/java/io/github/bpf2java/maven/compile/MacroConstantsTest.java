package io.github.bpf2java.maven.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.generate.GenerateOrchestrator;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integer {@code #define}s of the source itself and of the project headers it includes, read from clang's
 * preprocessor, become constants.
 */
class MacroConstantsTest {

    @TempDir
    Path dir;

    @Test
    void integerLiteralsParseAndEverythingElseIsLeftOut() {
        assertEquals(Optional.of(4096L), MacroConstants.integer("4096"));
        assertEquals(Optional.of(-12L), MacroConstants.integer("(-12)"));
        assertEquals(Optional.of(31L), MacroConstants.integer("0x1fUL"));
        assertEquals(Optional.of(420L), MacroConstants.integer("0644"));
        assertEquals(Optional.of(5L), MacroConstants.integer("0b101"));
        assertEquals(Optional.of(0L), MacroConstants.integer("0"));
        assertEquals(Optional.of(-1L), MacroConstants.integer("0xffffffffffffffffULL"), "bits as C has them");
        assertEquals(Optional.of(1L), MacroConstants.integer("((1LL))"));
        for (String notALiteral : List.of("(1 << 3)", "\"name\"", "'a'", "1.5", "FOO", "", "0x", "08",
                "0x1ffffffffffffffff", "1 + 2", "-", "(-)")) {
            assertEquals(Optional.empty(), MacroConstants.integer(notALiteral), notALiteral);
        }
    }

    @Test
    void onlyTheSourcesOwnDefinesCountAndUndefRemovesOne() throws Exception {
        String preprocessed = String.join("\n",
                "# 1 \"prog.c\"",
                "# 1 \"<built-in>\" 1",
                "#define __BPF__ 1",
                "# 1 \"<command line>\" 1",
                "#define FROM_COMMAND_LINE 3",
                "# 1 \"prog.c\" 2",
                "#define EARLY 1",
                "# 1 \"/usr/include/linux/bpf.h\" 1 3 4",
                "#define BPF_ANY 0",
                "# 5 \"prog.c\" 2",
                "#define MAX_ENTRIES 4096",
                "#define WIDE 0x100000000",
                "#define UNSIGNED_INT 0xffffffffU",
                "#define LONG_SMALL 3L",
                "#define FUNCTION(x) ((x) + 1)",
                "#define EMPTY",
                "#define GONE 7",
                "#undef GONE",
                "#define REDEFINED 1",
                "#undef REDEFINED",
                "#define REDEFINED 2",
                "# 1 \"prog.h\" 1",
                "#define __PROG_H 1",
                "#define IN_HEADER 5",
                "# 20 \"prog.c\" 2",
                "#define ENDS_H 6",
                "int x;");
        List<DefinedConstant> constants = MacroConstants.parse(new BufferedReader(new StringReader(preprocessed)),
                file -> file.equals("prog.c") || file.equals("prog.h") ? Optional.of(file) : Optional.empty());
        assertEquals("EARLY=1 int, MAX_ENTRIES=4096 int, WIDE=4294967296 long, UNSIGNED_INT=4294967295 long,"
                + " LONG_SMALL=3 long, REDEFINED=2 int, IN_HEADER=5 int, ENDS_H=6 int", constants.stream()
                        .map(c -> c.name() + "=" + c.value() + (c.fitsInt() ? " int" : " long"))
                        .collect(Collectors.joining(", ")));
    }

    /** The check that decides, from the text alone, that a source defines nothing starts no clang. */
    @Test
    void aSourceWithoutDefinesIsNotPreprocessed() throws Exception {
        TestProject project = new TestProject(dir.resolve("p"));
        Path plain = project.write("plain.c", "#include <linux/bpf.h>\n/* no macros here */\nint x;\n");
        Path continued = project.write("continued.c", "#def\\\nine CONTINUED 5\nint x;\n");
        int[] runs = {0};
        io.github.bpf2java.maven.toolchain.ProcessRunner counting = new io.github.bpf2java.maven.toolchain
                .ProcessRunner() {
            @Override
            public Result run(List<String> command, Path workingDirectory) throws java.io.IOException {
                runs[0]++;
                return super.run(command, workingDirectory);
            }
        };
        io.github.bpf2java.maven.toolchain.Toolchain toolchain = new io.github.bpf2java.maven.toolchain
                .ToolchainResolver(io.github.bpf2java.maven.toolchain.ExecutableSearch.ofEnvironment(), counting)
                .resolve(Optional.empty(), false, project.root(), new java.util.HashMap<>());
        runs[0] = 0;
        MacroConstants macros = new MacroConstants(new CompilerSettings(toolchain, project.root(),
                List.of(Path.of("/usr/include/x86_64-linux-gnu")), List.of(), "v3", false), project.bpfDirectory(),
                counting);
        List<io.github.bpf2java.maven.source.BpfSource> sources = new io.github.bpf2java.maven.source
                .SourceDiscovery(List.of("**/*.c"), List.of()).discover(project.bpfDirectory(), BuildLog.silent());
        for (io.github.bpf2java.maven.source.BpfSource source : sources) {
            List<DefinedConstant> found = macros.read(source, Target.BPFEL, List.of(source.file()),
                    dir.resolve("scratch"));
            if (source.file().equals(plain)) {
                assertEquals(List.of(), found);
            } else {
                assertEquals(continued, source.file());
                assertEquals("CONTINUED", found.get(0).name(), "a #define split by a continued line still counts");
            }
        }
        assertEquals(1, runs[0], "only the source with a #define was preprocessed");
    }

    @Test
    void theGeneratedClassCarriesTheConstantsClangSaw() throws Exception {
        TestProject project = new TestProject(dir.resolve("p"));
        project.write("limits.c", String.join("\n",
                "#include <linux/bpf.h>",
                "#include <bpf/bpf_helpers.h>",
                "#define MAX_PIDS 8192",
                "#ifdef __TARGET_NOTHING",
                "#define HIDDEN 1",
                "#endif",
                "#define NEGATIVE (-7)",
                "__u32 limit = MAX_PIDS;",
                "SEC(\"xdp\") int prog(struct xdp_md *ctx) { return limit > 0 ? XDP_PASS : XDP_DROP; }",
                "char LICENSE[] SEC(\"license\") = \"GPL\";", ""));
        new GenerateOrchestrator().execute(project.request(), BuildLog.silent());
        String java = Files.readString(project.generatedSources().resolve("com/example/ebpf/Limits.java"));
        assertEquals(true, java.contains("public static final int MAX_PIDS = 8192;"), java);
        assertEquals(true, java.contains("public static final int NEGATIVE = -7;"), java);
        assertEquals(false, java.contains("HIDDEN"), "a define the preprocessor skipped is not there");
        assertEquals(false, java.contains("BPF_ANY"), "a header's define is not the source's");
    }

    @Test
    void theProjectsOwnHeadersDefineConstantsButVmlinuxLibbpfAndOutsideHeadersDoNot() throws Exception {
        TestProject project = new TestProject(dir.resolve("p"));
        for (String file : List.of("snoop.c", "snoop.h", "common/slots.h", "vmlinux.h", "bpf/extra_helpers.h")) {
            project.addFixture("defines/" + file, file);
        }
        Path outside = Files.createDirectories(project.root().resolve("include"));
        Files.copy(TestProject.FIXTURES.resolve("defines/outside/outside.h"), outside.resolve("outside.h"));
        new GenerateOrchestrator().execute(project.requestBuilder().includeDirectories(List.of(outside)).build(),
                BuildLog.silent());
        String java = Files.readString(project.generatedSources().resolve("com/example/ebpf/Snoop.java"));

        // In the order the preprocessor meets them: a header's where the source includes it.
        List<String> constants = java.lines().filter(l -> l.startsWith("    public static final") && l.endsWith(";"))
                .map(String::strip).toList();
        assertEquals(List.of("public static final int MAX_SLOTS = 26;", "public static final int ARGSIZE = 128;",
                "public static final int TASK_COMM_LEN = 16;", "public static final int MAX_ENTRIES = 64;"),
                constants, java);
        assertEquals(true, java.contains("{@code #define MAX_SLOTS 26} in {@code common/slots.h}."), java);
        assertEquals(true, java.contains("{@code #define ARGSIZE 128} in {@code snoop.h}."), java);
        assertEquals(true, java.contains("{@code #define MAX_ENTRIES 64} in {@code snoop.c}."), java);
        for (String left : List.of("VMLINUX_ONLY", "HELPERS_ONLY", "OUTSIDE_ONLY", "SNOOP_H", "NOT_A_LITERAL")) {
            assertEquals(false, java.contains(left), left + " is no constant of the project:\n" + java);
        }
    }

    @Test
    void aSourceWhoseOnlyDefinesAreInItsHeadersIsPreprocessed() throws Exception {
        TestProject project = new TestProject(dir.resolve("p"));
        project.addFixture("defines/common/slots.h", "common/slots.h");
        project.write("slots.c", String.join("\n",
                "#include <linux/bpf.h>",
                "#include <bpf/bpf_helpers.h>",
                "#include \"common/slots.h\"",
                "__u32 slots[MAX_SLOTS];",
                "char LICENSE[] SEC(\"license\") = \"GPL\";", ""));
        new GenerateOrchestrator().execute(project.request(), BuildLog.silent());
        String java = Files.readString(project.generatedSources().resolve("com/example/ebpf/Slots.java"));
        assertEquals(true, java.contains("public static final int MAX_SLOTS = 26;"), java);
    }
}
