package io.github.bpf2java.ebpf.internal.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.host.BinaryPaths;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.NativeFixtures;
import io.github.bpf2java.ebpf.testing.NativeFixtures.Linking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reader of ordinary executables and libraries, cross-checked against binutils on real files. */
class ExecutableFileTest {
    private static final Pattern OBJDUMP_HEADER = Pattern.compile("^[0-9a-f]+ <(.+)> \\(File Offset: 0x([0-9a-f]+)\\):$",
            Pattern.MULTILINE);

    @TempDir
    Path scratch;

    @ParameterizedTest
    @EnumSource(Linking.class)
    void functionOffsetsAreWhereObjdumpSaysTheyAre(Linking linking) {
        Path binary = NativeFixtures.compile("probe_target", linking);
        ExecutableFile file = ExecutableFile.open(binary);
        assertEquals(linking == Linking.PIE ? ExecutableFile.ET_DYN : ExecutableFile.ET_EXEC, file.type());
        for (String function : List.of("probed_add", "probed_other", "main")) {
            assertEquals(objdumpOffsets(binary, function).get(function), ProbeSymbols.offsetOf(file, function),
                    function);
        }
        assertTrue(file.loadSegments().stream().anyMatch(ExecutableFile.Segment::executable));
    }

    @Test
    void libcVersionedSymbolsResolveAsTheDynamicLinkerWould() {
        Path libc = BinaryPaths.resolve("libc.so.6");
        ExecutableFile file = ExecutableFile.open(libc);
        assertEquals(ExecutableFile.ET_DYN, file.type());
        assertEquals(objdumpOffsets(libc, "getenv").values().iterator().next(), ProbeSymbols.offsetOf(file, "getenv"));

        // A function with a default version (@@) and an older hidden one (@) at another address, as nm lists them;
        // objdump gives the file offset at each address.
        String nm = NativeFixtures.run(List.of("nm", "-D", "--defined-only", libc.toString()));
        Matcher line = Pattern.compile("^([0-9a-f]+) [TW] ([^@\\s]+)(@@?)(\\S+)$", Pattern.MULTILINE).matcher(nm);
        Map<String, String> defaults = new HashMap<>();
        Map<String, String> hidden = new HashMap<>();
        while (line.find()) {
            (line.group(3).equals("@@") ? defaults : hidden).put(line.group(2), line.group(1) + " " + line.group(4));
        }
        String name = hidden.keySet().stream().sorted().filter(n -> defaults.containsKey(n)
                && !defaults.get(n).split(" ")[0].equals(hidden.get(n).split(" ")[0])).findFirst().orElse(null);
        KernelSupport.assume(name != null, "this libc has no function with two versions at different addresses");
        String[] newer = defaults.get(name).split(" ");
        String[] older = hidden.get(name).split(" ");
        long newerOffset = objdumpOffsetAt(libc, newer[0]);
        long olderOffset = objdumpOffsetAt(libc, older[0]);
        assertEquals(newerOffset, ProbeSymbols.offsetOf(file, name), "the bare name " + name + " is the default");
        assertEquals(newerOffset, ProbeSymbols.offsetOf(file, name + "@@" + newer[1]));
        assertEquals(olderOffset, ProbeSymbols.offsetOf(file, name + "@" + older[1]));
        assertNotEquals(newerOffset, olderOffset);

        NotFoundException missing = assertThrows(NotFoundException.class,
                () -> ProbeSymbols.offsetOf(file, "getenv@@NO_SUCH_VERSION"));
        assertTrue(missing.getMessage().contains("no function 'getenv@@NO_SUCH_VERSION'"), missing.getMessage());
    }

    @Test
    void indirectFunctionsAreRefusedWithWhyAndTheirDefaultVersionIsNotReplacedByAnOlderOne() {
        Path libc = BinaryPaths.resolve("libc.so.6");
        ExecutableFile file = ExecutableFile.open(libc);
        // nm marks an indirect function (STT_GNU_IFUNC) with type i.
        String nm = NativeFixtures.run(List.of("nm", "-D", "--defined-only", libc.toString()));
        Matcher line = Pattern.compile("^[0-9a-f]+ i ([^@\\s]+)@@\\S+$", Pattern.MULTILINE).matcher(nm);
        KernelSupport.assume(line.find(), "this libc has no indirect function");
        String name = line.group(1);
        BpfException refused = assertThrows(BpfException.class, () -> ProbeSymbols.offsetOf(file, name));
        assertTrue(refused.getMessage().contains(name + "@@") && refused.getMessage().contains("is an indirect "
                + "function (STT_GNU_IFUNC)"), refused.getMessage());
        assertTrue(refused.hint().orElseThrow().contains("attachUprobeAt"), refused.getMessage());
        assertTrue(ProbeSymbols.matching(file, name).isEmpty(), "a glob leaves the resolver out");

        // memcpy's default version is indirect, an older one a plain function: the bare name is the default's.
        Matcher memcpy = Pattern.compile("^([0-9a-f]+) T memcpy@(GLIBC_[0-9.]+)$", Pattern.MULTILINE).matcher(nm);
        if (nm.contains(" i memcpy@@") && memcpy.find()) {
            assertThrows(BpfException.class, () -> ProbeSymbols.offsetOf(file, "memcpy"));
            assertEquals(objdumpOffsetAt(libc, memcpy.group(1)),
                    ProbeSymbols.offsetOf(file, "memcpy@" + memcpy.group(2)), "asked for by its version");
        }
    }

    @Test
    void globPatternsMatchFunctionsOnceEach() {
        ExecutableFile file = ExecutableFile.open(NativeFixtures.compile("probe_target", Linking.PIE));
        assertEquals(List.of("probed_add", "probed_other"), ProbeSymbols.matching(file, "probed_*").stream()
                .map(ProbeSymbols.Match::name).sorted().toList());
        assertEquals(List.of(), ProbeSymbols.matching(file, "nothing_like_this*"));
        assertTrue(ProbeSymbols.globMatches("do_sys_open*", "do_sys_openat2"));
        assertTrue(ProbeSymbols.globMatches("?etenv", "getenv"));
        assertTrue(ProbeSymbols.globMatches("*", ""));
        assertTrue(!ProbeSymbols.globMatches("get*v", "getenvx"));
    }

    @Test
    void usdtNotesAreWhatReadelfShows() {
        Path binary = NativeFixtures.compile("probe_target", Linking.PIE);
        ExecutableFile file = ExecutableFile.open(binary);
        List<StapsdtNotes.Probe> probes = StapsdtNotes.read(file);
        String readelf = NativeFixtures.run(List.of("readelf", "-n", binary.toString()));
        Matcher m = Pattern.compile("Provider: (\\S+)\\s+Name: (\\S+)\\s+Location: 0x([0-9a-f]+), Base: 0x[0-9a-f]+, "
                + "Semaphore: 0x([0-9a-f]+)\\s+Arguments: ([^\\n]*)").matcher(readelf);
        int seen = 0;
        while (m.find()) {
            StapsdtNotes.Probe probe = probes.get(seen++);
            assertEquals(m.group(1), probe.provider());
            assertEquals(m.group(2), probe.name());
            assertEquals(Long.parseLong(m.group(3), 16), probe.address());
            assertEquals(file.fileOffset(probe.address()), probe.offset());
            assertEquals(file.fileOffset(Long.parseLong(m.group(4), 16)), probe.semaphoreOffset());
            assertEquals(m.group(5).trim(), probe.arguments());
        }
        assertEquals(5, seen, readelf);
        assertEquals(List.of("tick", "global", "guarded", "twice", "twice"),
                probes.stream().map(StapsdtNotes.Probe::name).toList());
    }

    @Test
    void sameNamedStaticFunctionsAndCompilerRenamedOnesAreExplained() throws Exception {
        KernelSupport.assume(BpfFixtures.onPath("gcc"), "gcc is not installed");
        Path one = Files.writeString(scratch.resolve("one.c"), "static __attribute__((noinline)) int helper(int x) "
                + "{ return x + 1; }\nint one(int x) { return helper(x); }\n"
                // What gcc calls a copy of scale() specialised for a constant argument.
                + "__attribute__((noinline)) int scale_copy(int x) __asm__(\"scale.constprop.0\");\n"
                + "__attribute__((noinline)) int scale_copy(int x) { return x * 3; }\n");
        Path two = Files.writeString(scratch.resolve("two.c"), "static __attribute__((noinline)) int helper(int x) "
                + "{ return x * 2; }\nint one(int); int scale_copy(int) __asm__(\"scale.constprop.0\");\n"
                + "int main(int argc, char **argv) { return helper(argc) + one(argc) + scale_copy(argc); }\n");
        Path binary = scratch.resolve("dup");
        NativeFixtures.run(List.of("gcc", "-O1", "-o", binary.toString(), one.toString(), two.toString()));
        ExecutableFile file = ExecutableFile.open(binary);

        BpfException ambiguous = assertThrows(BpfException.class, () -> ProbeSymbols.offsetOf(file, "helper"));
        assertTrue(ambiguous.getMessage().matches("(?s).*'helper' is ambiguous: helper at file offset 0x[0-9a-f]+ and "
                + "helper at file offset 0x[0-9a-f]+ .*"), ambiguous.getMessage());
        assertTrue(ambiguous.hint().orElseThrow().contains("attachUprobeAt"), ambiguous.getMessage());

        NotFoundException renamed = assertThrows(NotFoundException.class, () -> ProbeSymbols.offsetOf(file, "scale"));
        assertTrue(renamed.hint().orElseThrow().contains("it has scale.constprop.0; attach to one of those by name"),
                renamed.getMessage());
        assertEquals(ProbeSymbols.offsetOf(file, "scale.constprop.0"), ProbeSymbols.matching(file, "scale.*").get(0)
                .offset());
    }

    @Test
    void refusesWhatIsNotAnExecutable() throws Exception {
        Path text = Files.writeString(scratch.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        assertTrue(assertThrows(ObjectFormatException.class, () -> ExecutableFile.open(text)).getMessage()
                .contains("not an ELF file"));
        Path object = BpfFixtures.compile("counter").path();
        assertTrue(assertThrows(ObjectFormatException.class, () -> ExecutableFile.open(object)).getMessage()
                .contains("a relocatable object"));
        assertTrue(assertThrows(BpfException.class, () -> ExecutableFile.open(scratch.resolve("absent")))
                .getMessage().contains("does not exist"));
    }

    /** objdump's file offset of the instruction at hexadecimal address {@code address}. */
    private static long objdumpOffsetAt(Path binary, String address) {
        long a = Long.parseLong(address, 16);
        String out = NativeFixtures.run(List.of("objdump", "-d", "-F", "--start-address=0x" + Long.toHexString(a),
                "--stop-address=0x" + Long.toHexString(a + 1), binary.toString()));
        Matcher m = OBJDUMP_HEADER.matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(2), 16);
    }

    /** objdump's file offsets of the functions named {@code function} (every version), by displayed name. */
    private static Map<String, Long> objdumpOffsets(Path binary, String function) {
        String out = NativeFixtures.run(List.of("objdump", "-d", "-F", "--disassemble=" + function,
                binary.toString()));
        Map<String, Long> offsets = new HashMap<>();
        Matcher m = OBJDUMP_HEADER.matcher(out);
        while (m.find()) {
            offsets.put(m.group(1), Long.parseLong(m.group(2), 16));
        }
        return offsets;
    }
}
