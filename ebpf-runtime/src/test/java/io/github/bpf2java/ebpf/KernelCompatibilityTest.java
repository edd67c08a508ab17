package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.core.CoreMode;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.MapFlag;
import io.github.bpf2java.ebpf.internal.load.BtfSanitizer;
import io.github.bpf2java.ebpf.internal.probe.KernelFeature;
import io.github.bpf2java.ebpf.internal.probe.KernelFeatures;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.AlsoInGuestKernel;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.OpenDescriptors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The loader on a kernel older than the object: features are turned off for the loading thread
 * ({@link KernelFeatures#forceOff}), so the loader takes the path it takes on a kernel without them, and the real
 * kernel then loads what it produced: the sanitized BTF, an object without BTF, data maps without mapping. Each
 * case checks the program still computes what it computes with every feature on.
 */
@AlsoInGuestKernel
@SuppressWarnings("try") // the forced features are held for the block, not used in it
class KernelCompatibilityTest {
    private static final int XDP_PASS = 2;
    /** What the fixture's program stores in {@code result}: 2 * (20 + 1). */
    private static final long EXPECTED = 42;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    private static ObjectSpec btfKinds() {
        KernelSupport.assume(BpfFixtures.onPath(BpfFixtures.CLANG_19), "clang 15+ is needed to emit ENUM64");
        return BpfFixtures.hostSpec("btf_kinds", BpfFixtures.CLANG_19);
    }

    static Stream<Set<KernelFeature>> missingBtfKinds() {
        return Stream.of(Set.of(KernelFeature.BTF_DECL_TAG), Set.of(KernelFeature.BTF_TYPE_TAG),
                Set.of(KernelFeature.BTF_FLOAT), Set.of(KernelFeature.BTF_ENUM64), Set.of(KernelFeature.BTF_DATASEC),
                Set.of(KernelFeature.BTF_GLOBAL_FUNC), Set.of(KernelFeature.BTF_FUNC),
                // A 5.1 kernel: functions, but none of the rest.
                EnumSet.of(KernelFeature.BTF_DECL_TAG, KernelFeature.BTF_TYPE_TAG, KernelFeature.BTF_FLOAT,
                        KernelFeature.BTF_ENUM64, KernelFeature.BTF_DATASEC, KernelFeature.BTF_GLOBAL_FUNC));
    }

    @ParameterizedTest
    @MethodSource("missingBtfKinds")
    void btfKindsTheKernelLacksAreReplacedAndTheObjectStillRuns(Set<KernelFeature> missing) throws Exception {
        ObjectSpec spec = btfKinds();
        Btf original = spec.btf().orElseThrow();
        Btf sanitized = BtfSanitizer.forKernel(original, Predicate.not(missing::contains));
        assertEquals(original.types().size(), sanitized.types().size(), "replacements keep every type id");
        for (BtfType type : sanitized.types()) {
            assertFalse(lacking(type, missing), "left in for a kernel without " + missing + ": " + type);
        }
        assertTrue(original.types().stream().anyMatch(t -> lacking(t, missing)), "the fixture has what is removed");

        try (KernelFeatures.Forced forced = KernelFeatures.forceOff(missing.toArray(KernelFeature[]::new));
                BpfObject object = BpfObject.load(spec)) {
            BpfProgram program = object.program("btf_kinds");
            assertEquals(XDP_PASS, TestRuns.packetVerdict(program));
            assertEquals(EXPECTED, object.variable("result").getLong());
            // A program without func info holds no BTF; then the data map's types show it.
            int btfId = program.info().btfId() != 0 ? program.info().btfId() : object.map(".bss").info().btfId();
            assertNotEquals(0, btfId, "the object's (sanitized) BTF went to the kernel");
            String kernelCopy = bpftool("btf", "dump", "id", Integer.toString(btfId));
            for (KernelFeature feature : missing) {
                assertTrue(kernelCopy.lines().noneMatch(kindLine(feature)), "the kernel holds what a kernel without "
                        + feature + " refuses:\n" + kernelCopy);
            }
        }
    }

    @Test
    void withoutBtfTheObjectLoadsUntypedAndRuns() {
        ObjectSpec spec = btfKinds();
        try (KernelFeatures.Forced forced = KernelFeatures.forceOff(KernelFeature.BTF);
                BpfObject object = BpfObject.load(spec)) {
            BpfProgram program = object.program("btf_kinds");
            assertEquals(XDP_PASS, TestRuns.packetVerdict(program));
            assertEquals(EXPECTED, object.variable("result").getLong());
            assertEquals(0, program.info().btfId(), "no BTF was handed to the kernel");
            assertEquals(0, object.map(".bss").info().btfId());
        }
    }

    @Test
    void withoutBtfCoreIsRelocatedInUserSpaceWhileKernelCoreAndStructOpsAreRefusedNamingBtf() {
        String compiler = BpfFixtures.installedCompilers().get(0);
        ObjectSpec core = BpfFixtures.hostSpec("core_relocations", compiler);
        try (KernelFeatures.Forced forced = KernelFeatures.forceOff(KernelFeature.BTF)) {
            // User-space CO-RE needs the kernel's types (its vmlinux BTF, or a file such as BTFHub's for kernels
            // that expose none), not a kernel that accepts BTF: the object loads untyped, already relocated.
            try (BpfObject object = BpfObject.load(core)) {
                assertTrue(object.programs().stream().allMatch(p -> p.info().btfId() == 0),
                        "no BTF was handed to the kernel");
            }
            NotSupportedException kernelCore = assertThrows(NotSupportedException.class, () -> BpfObject.load(core,
                    LoadOptions.builder().coreRelocation(CoreMode.KERNEL).build()).close());
            assertTrue(kernelCore.getMessage().contains("CO-RE")
                    && kernelCore.getMessage().contains("BTF (Linux 4.18)"), kernelCore.getMessage());
            NotSupportedException structOps = assertThrows(NotSupportedException.class,
                    () -> BpfObject.load(BpfFixtures.hostSpec("struct_ops", compiler)).close());
            assertTrue(structOps.getMessage().contains("struct_ops map 'demo'"), structOps.getMessage());
        }
    }

    @Test
    void withoutMmapableArraysGlobalsAreReadThroughLookupsAndWritesRefused() {
        ObjectSpec spec = btfKinds();
        try (KernelFeatures.Forced forced = KernelFeatures.forceOff(KernelFeature.MMAPABLE_MAPS);
                BpfObject object = BpfObject.load(spec)) {
            assertEquals(0, object.map(".bss").info().flags() & MapFlag.MMAPABLE.value());
            assertEquals(0, object.map(".kconfig").info().flags() & MapFlag.MMAPABLE.value());
            assertEquals(XDP_PASS, TestRuns.packetVerdict(object.program("btf_kinds")));
            GlobalVariable result = object.variable("result");
            assertFalse(result.mapped());
            assertEquals(EXPECTED, result.getLong());
            assertThrows(NotSupportedException.class, () -> result.setLong(1));
        }
    }

    @Test
    void withoutGlobalDataTheDataMapIsRefusedBeforeAnythingIsCreated() {
        ObjectSpec spec = btfKinds();
        List<String> before = OpenDescriptors.kernelObjects();
        try (KernelFeatures.Forced forced = KernelFeatures.forceOff(KernelFeature.GLOBAL_DATA)) {
            NotSupportedException refused = assertThrows(NotSupportedException.class,
                    () -> BpfObject.load(spec).close());
            assertTrue(refused.getMessage().contains("global data (Linux 5.2)")
                    && refused.getMessage().contains("holds global variables"), refused.getMessage());
        }
        assertEquals(before, OpenDescriptors.kernelObjects(), "nothing is left open");
    }

    /** Whether {@code type} is of a kind (or linkage, or signedness) a kernel without {@code missing} rejects. */
    private static boolean lacking(BtfType type, Set<KernelFeature> missing) {
        if (type instanceof BtfType.DeclTag) {
            return missing.contains(KernelFeature.BTF_DECL_TAG);
        }
        if (type instanceof BtfType.Qualifier q) {
            return q.kind() == BtfType.QualifierKind.TYPE_TAG && missing.contains(KernelFeature.BTF_TYPE_TAG);
        }
        if (type instanceof BtfType.Float) {
            return missing.contains(KernelFeature.BTF_FLOAT);
        }
        if (type instanceof BtfType.Enum e) {
            return (e.size() > 4 || e.signed()) && missing.contains(KernelFeature.BTF_ENUM64);
        }
        if (type instanceof BtfType.Var || type instanceof BtfType.DataSection) {
            return missing.contains(KernelFeature.BTF_DATASEC);
        }
        if (type instanceof BtfType.FuncProto) {
            return missing.contains(KernelFeature.BTF_FUNC);
        }
        if (type instanceof BtfType.Func f) {
            return missing.contains(KernelFeature.BTF_FUNC)
                    || (f.linkage() == BtfType.Linkage.GLOBAL && missing.contains(KernelFeature.BTF_GLOBAL_FUNC));
        }
        return false;
    }

    /** Which lines of {@code bpftool btf dump} show what a kernel without {@code feature} refuses. */
    private static Predicate<String> kindLine(KernelFeature feature) {
        return switch (feature) {
            case BTF_DECL_TAG -> line -> line.contains("] DECL_TAG ");
            case BTF_TYPE_TAG -> line -> line.contains("] TYPE_TAG ");
            case BTF_FLOAT -> line -> line.contains("] FLOAT ");
            case BTF_ENUM64 -> line -> line.contains("] ENUM64 ")
                    || (line.contains("] ENUM ") && line.contains("encoding=SIGNED"));
            case BTF_DATASEC -> line -> line.contains("] DATASEC ") || line.contains("] VAR ");
            case BTF_FUNC -> line -> line.contains("] FUNC ") || line.contains("] FUNC_PROTO ");
            case BTF_GLOBAL_FUNC -> line -> line.contains("] FUNC ") && line.contains("linkage=global");
            default -> line -> false;
        };
    }

    private static String bpftool(String... args) throws IOException, InterruptedException {
        KernelSupport.assumeTool("bpftool");
        List<String> command = new java.util.ArrayList<>(List.of("bpftool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
        return output;
    }
}
