package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.internal.load.ProgramLoader;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.spec.Relocation;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.OpenDescriptors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conventions of objects written for libbpf (libbpf-tools, libbpf-bootstrap, cilium/ebpf and XDP tutorial
 * examples) that the loader must honour, each reduced to a fixture of our own and loaded by every installed clang.
 */
class RealWorldConventionsTest {
    private static final int XDP_PASS = 2;
    private static final int STACK_DEPTH = 127;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    static List<String> compilers() {
        return BpfFixtures.installedCompilers();
    }

    private static ObjectSpec fixture(String name, String compiler) {
        return BpfFixtures.hostSpec(name, compiler);
    }

    private static int run(BpfProgram program) {
        return TestRuns.packetVerdict(program);
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void hiddenGlobalFunctionIsVerifiedWithItsCallersContext(String compiler) {
        ObjectSpec spec = fixture("conventions", compiler);
        BtfType.Func helper = spec.btf().orElseThrow().find("store_answer", BtfType.Func.class).orElseThrow();
        assertEquals(BtfType.Linkage.STATIC, helper.linkage(), "a __hidden function is static to the verifier");
        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder()
                .programs(Set.of("hidden_helper")).build())) {
            assertEquals(XDP_PASS, run(object.program("hidden_helper")), "the helper stored 42 through its pointer");
        }
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void weakKernelSymbolsTheKernelLacksReadAsZero(String compiler) {
        ObjectSpec spec = fixture("conventions", compiler);
        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder()
                .programs(Set.of("weak_symbols")).build())) {
            assertEquals(XDP_PASS, run(object.program("weak_symbols")));
            ByteBuffer found = ByteBuffer.wrap(object.variable("found").get()).order(ByteOrder.nativeOrder());
            assertEquals(1, found.getLong(0), "bpf_rcu_read_lock exists, so bpf_ksym_exists says so");
            assertEquals(0, found.getLong(8), "a missing weak kfunc does not exist, and its guarded call is gone");
            assertEquals(0, found.getLong(16), "a missing weak typed variable has address 0");
            assertEquals(0, found.getLong(24), "a missing weak typeless symbol has address 0");
        }
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void unguardedCallOfMissingWeakKfuncIsRefusedNamingIt(String compiler) {
        ObjectSpec spec = fixture("conventions", compiler);
        VerifierException refused = assertThrows(VerifierException.class, () -> BpfObject.load(spec,
                LoadOptions.builder().programs(Set.of("unguarded_missing_kfunc")).build()).close());
        String hint = refused.hint().orElse("");
        assertTrue(hint.contains("bpf2java_no_such_kfunc") && hint.contains("bpf_ksym_exists"), refused.getMessage());
    }

    @Test
    void everyExternOfTheFixtureIsMarkedWeak() {
        ObjectSpec spec = fixture("conventions", compilers().get(0));
        assertTrue(spec.program("weak_symbols").orElseThrow().function().relocations().stream()
                .filter(Relocation.ExternReference.class::isInstance).map(Relocation.ExternReference.class::cast)
                .allMatch(Relocation.ExternReference::weak), "every extern of the fixture is __weak");
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void questionMarkSectionsLoadOnlyWhenSelected(String compiler) {
        ObjectSpec spec = fixture("conventions", compiler);
        ProgramSpec optional = spec.program("unguarded_missing_kfunc").orElseThrow();
        assertFalse(optional.autoload());
        assertEquals(ProgramType.XDP, optional.type().orElseThrow(), "SEC(\"?xdp\") is an XDP program");
        try (BpfObject object = BpfObject.load(spec)) {
            assertEquals(Set.of("hidden_helper", "weak_symbols"),
                    Set.copyOf(object.programs().stream().map(BpfProgram::name).toList()));
        }
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void btfTypedProgramAttachesWhereTheCallerPointsIt(String compiler) throws Exception {
        ObjectSpec spec = fixture("conventions", compiler);
        NotFoundException placeholder = assertThrows(NotFoundException.class, () -> BpfObject.load(spec,
                LoadOptions.builder().programs(Set.of("retargeted")).build()).close());
        assertTrue(placeholder.getMessage().contains("bpf2java_placeholder"), placeholder.getMessage());

        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder().programs(Set.of("retargeted"))
                .attachTarget("retargeted", "sys_enter").build())) {
            assertEquals(1, object.attachAll().links().size());
            for (int i = 0; i < 5; i++) {
                Files.readAllBytes(Path.of("/proc/self/stat"));
            }
            assertTrue(object.variable("retargeted_hits").getLong() >= 5, "sys_enter fired through the program");
        }
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void unsizedStackMapLoadsOnceSizedAndSaysHowOtherwise(String compiler) {
        ObjectSpec spec = fixture("unsized_maps", compiler);
        List<String> before = OpenDescriptors.kernelObjects();
        BpfException unsized = assertThrows(BpfException.class, () -> BpfObject.load(spec).close());
        assertFalse(unsized instanceof KernelException, "refused before BPF_MAP_CREATE: " + unsized.getMessage());
        assertTrue(unsized.getMessage().contains("map 'stacks'") && unsized.getMessage().contains("max_entries and "
                + "value_size 0"), unsized.getMessage());
        String hint = unsized.hint().orElse("");
        assertTrue(hint.contains("LoadOptions.builder().maxEntries(\"stacks\", entries).valueSize(\"stacks\", bytes)")
                && hint.contains("options().maxEntries(\"stacks\", entries).configure(b -> b.valueSize("),
                unsized.getMessage());
        assertEquals(before, OpenDescriptors.kernelObjects(), "nothing was left open");

        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder().maxEntries("stacks", 1024)
                .valueSize("stacks", STACK_DEPTH * 8).build())) {
            assertEquals(STACK_DEPTH * 8, object.map("stacks").valueSize());
            assertEquals(1024, object.map("stacks").maxEntries());
        }
    }

    @Test
    void valueSizeOverrideMustNameAMap() {
        ObjectSpec spec = fixture("unsized_maps", compilers().get(0));
        BpfException unknown = assertThrows(BpfException.class, () -> BpfObject.load(spec, LoadOptions.builder()
                .valueSize("no_such_map", 8).build()).close());
        assertTrue(unknown.getMessage().contains("no_such_map"), unknown.getMessage());
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void structOpsMapOfAStructureTheKernelLacksIsRefusedClearlyAndLeftOutWhenOtherProgramsAreChosen(
            String compiler) {
        ObjectSpec spec = fixture("struct_ops", compiler);
        MapSpec demo = spec.map("demo").orElseThrow();
        assertEquals(MapSpec.MapKind.STRUCT_OPS, demo.kind());
        assertEquals(".struct_ops.link", demo.sectionName());
        assertEquals(List.of(new MapSpec.InitialSlot(0, "demo_init"), new MapSpec.InitialSlot(8, "demo_tick")),
                demo.initialSlots(), "the function pointers name their programs by offset");

        NotFoundException refused = assertThrows(NotFoundException.class, () -> BpfObject.load(spec).close());
        assertTrue(refused.getMessage().contains("struct_ops map 'demo'")
                && refused.getMessage().contains("no struct demo_ops"), refused.getMessage());
        assertTrue(refused.hint().orElse("").contains("tcp_congestion_ops"), "lists the kernel's struct_ops types: "
                + refused.getMessage());
        assertThrows(NotFoundException.class, () -> BpfObject.load(spec,
                LoadOptions.builder().programs(Set.of("demo_tick")).build()).close());

        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder().programs(Set.of("plain")).build())) {
            assertEquals(XDP_PASS, run(object.program("plain")));
        }
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void sectionNamesLibbpf1RefusesLoadWithAWarningNamingTheCanonicalName(String compiler) {
        ObjectSpec spec = fixture("old_section_names", compiler);
        Map<String, ProgramType> expected = Map.of("xdp_pass_func", ProgramType.XDP, "xdp_sock_prog", ProgramType.XDP,
                "dotted_xdp", ProgramType.XDP, "xdp_with_suffix", ProgramType.XDP,
                "socket_with_suffix", ProgramType.SOCKET_FILTER, "sk_lookup_with_suffix", ProgramType.SK_LOOKUP);
        expected.forEach((name, type) -> assertEquals(type, spec.program(name).orElseThrow().type().orElseThrow()));
        try (BpfObject object = BpfObject.load(spec)) {
            for (String name : List.of("xdp_pass_func", "xdp_sock_prog", "dotted_xdp", "xdp_with_suffix")) {
                assertEquals(XDP_PASS, run(object.program(name)), name);
            }
            assertTrue(run(object.program("socket_with_suffix")) > 0, "a socket filter returns the length it keeps");
            assertEquals(ProgramType.SK_LOOKUP, object.program("sk_lookup_with_suffix").type());
        }
        List<String> warnings = spec.programs().stream()
                .flatMap(p -> ProgramLoader.lenientSectionWarning(spec.name(), p).stream()).toList();
        assertTrue(warnings.stream().anyMatch(w -> w.contains("'xdp_sock'") && w.contains("SEC(\"xdp\")")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("'sk_lookup/dispatch'")
                && w.contains("SEC(\"sk_lookup\")")), warnings.toString());
        assertEquals(expected.size(), warnings.size(), "one warning per program: " + warnings);
    }

    @Test
    void rawTracepointNamedWithItsCategoryGetsTheBareName() {
        ObjectSpec spec = fixture("loader", compilers().get(0));
        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder().programs(Set.of("raw_enter")).build())) {
            NotFoundException missing = assertThrows(NotFoundException.class,
                    () -> object.program("raw_enter").attachRawTracepoint("raw_syscalls/sys_enter"));
            assertTrue(missing.hint().orElse("").contains("'sys_enter'"), missing.getMessage());
        }
    }

    @Test
    void arenaGlobalsParseAndAreRefusedAtLoadNamingTheArena() {
        KernelSupport.assume(BpfFixtures.onPath(BpfFixtures.CLANG_19), "clang 18+ is needed to place __arena globals");
        ObjectSpec spec = fixture("arena", BpfFixtures.CLANG_19);
        assertTrue(spec.program("bump").orElseThrow().function().relocations().stream()
                .anyMatch(r -> r instanceof Relocation.ArenaReference a && a.sectionName().equals(".addr_space.1")));
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.load(spec).close());
        if (e instanceof PermissionException refused) {
            // Kernels that refuse arena maps to this process fail at BPF_MAP_CREATE, before any program is seen:
            // the error must still name the map and say which privilege is missing.
            assertTrue(refused.getMessage().contains("BPF_MAP_CREATE") && refused.getMessage().contains("'arena'"),
                    refused.getMessage());
            assertTrue(refused.hint().isPresent(), refused.getMessage());
        } else {
            assertTrue(e.getMessage().contains("arena") && e.getMessage().contains("bump"), e.getMessage());
        }
    }
}
