package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.bpf.Pins;
import io.github.bpf2java.ebpf.internal.bpf.ProgramInfo;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.ChildJvm;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.OpenDescriptors;
import io.github.bpf2java.ebpf.testing.PinRoot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Maps and programs pinned on the bpffs and opened again: by another JVM the test launches, by a later load of the
 * same object ({@code LIBBPF_PIN_BY_NAME}), refused when the pinned map does not match; and one object's map
 * handed to another at load. Every pin lives under a directory of this test's own, removed afterwards.
 */
class PinningTest {
    private PinRoot pins;
    private Path root;

    @BeforeEach
    void pinDirectory() throws Exception {
        KernelSupport.assumeBpf();
        pins = PinRoot.create("pinning");
        root = pins.path();
    }

    @AfterEach
    void removePins() throws Exception {
        if (pins != null) {
            pins.close();
        }
    }

    @Test
    void pinnedMapIsReadAndWrittenByAnotherJvmThenUnpinned() throws Exception {
        Path pin = root.resolve("counts");
        try (BpfObject object = load(LoadOptions.builder().pinRoot(root))) {
            BpfMap counts = object.map("counts");
            counts.put(key(1), value(41));
            assertEquals(Optional.empty(), counts.pinPath());
            counts.pin(pin);
            assertEquals(Optional.of(pin), counts.pinPath(), "a pin made by pin(path) is reported too");
        }
        // The object is closed: only the pin holds the map now.
        String output = runChildJvm(pin);
        assertTrue(output.contains("VALUE 41"), output);
        try (BpfMap reopened = BpfMap.openPinned(pin)) {
            assertEquals(Optional.of(pin), reopened.pinPath());
            assertEquals("counts", reopened.name());
            assertEquals(42, longOf(reopened.lookup(key(2)).orElseThrow()), "the other JVM's write");
            BpfMap.unpin(pin);
            assertFalse(Files.exists(pin));
            assertEquals(Optional.empty(), reopened.pinPath(), "a removed pin is not reported");
            assertEquals(42, longOf(reopened.lookup(key(2)).orElseThrow()), "an open map outlives its pin");
        }
        assertThrows(NotFoundException.class, () -> BpfMap.openPinned(pin));
    }

    @Test
    void unpinRemovesOnlyAPinNeverAnotherFile() throws Exception {
        Path plain = Files.createTempFile("bpf2java-not-a-pin", ".txt");
        try {
            KernelException refused = assertThrows(KernelException.class, () -> BpfMap.unpin(plain));
            assertTrue(refused.getMessage().contains("is not on a bpffs"), refused.getMessage());
            assertTrue(Files.exists(plain), "a file outside bpffs is left alone");
        } finally {
            Files.deleteIfExists(plain);
        }
        assertThrows(NotFoundException.class, () -> BpfMap.unpin(root.resolve("nothing-here")));
    }

    @Test
    void aPinOutsideBpffsSaysWhereToPinNotToMountOverTheDirectory() throws Exception {
        Path elsewhere = Files.createTempDirectory("bpf2java-not-bpffs");
        try (BpfObject object = load(LoadOptions.builder().pinRoot(root))) {
            KernelException refused = assertThrows(KernelException.class,
                    () -> object.maps().get(0).pin(elsewhere.resolve("map")));
            String hint = refused.hint().orElse("");
            assertTrue(refused.getMessage().contains(elsewhere + " is not on a bpffs"), refused.getMessage());
            assertTrue(hint.contains("/sys/fs/bpf"), hint);
            assertFalse(hint.contains("mount -t bpf bpf " + elsewhere), "no bpffs over a temp directory: " + hint);
        } finally {
            Files.delete(elsewhere);
        }
    }

    @Test
    void aPinThatMayOnlyBeReadIsOpenedReadOnlyAndRefusesWrites() throws Exception {
        Path pin = root.resolve("counts");
        try (BpfObject object = load(LoadOptions.builder().pinRoot(root))) {
            object.map("counts").put(key(1), value(41));
            object.map("counts").pin(pin);
        }
        try (BpfMap readOnly = BpfMap.openPinnedReadOnly(pin)) {
            assertEquals(41, longOf(readOnly.lookup(key(1)).orElseThrow()));
            assertFalse(readOnly.keys().isEmpty(), "iteration works");
            PermissionException put = assertThrows(PermissionException.class, () -> readOnly.put(key(1), value(1)));
            assertTrue(put.getMessage().contains(": the map was opened read-only, which allows lookups only"),
                    put.getMessage());
            assertTrue(put.hint().orElseThrow().startsWith("open it with BpfMap.openPinned(path)"), put::toString);
            assertThrows(PermissionException.class, () -> readOnly.updateBatch(List.of(key(1)),
                    List.of(value(1)), BpfMap.UpdateFlag.ANY));
            assertThrows(PermissionException.class, readOnly::freeze);
            assertEquals(41, longOf(readOnly.lookup(key(1)).orElseThrow()), "nothing was written");
        }
        // What it is for: a process that may read the pin but not write it (root without CAP_DAC_OVERRIDE and a
        // pin of mode 0444) opens it read-only, where opening it for writing is refused.
        Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("r--r--r--"));
        String output = ChildJvm.run(ReadOnlyPinChild.class, List.of("setpriv",
                "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search", "--"),
                List.of(), pin.toString());
        assertTrue(output.contains("VALUE 41"), output);
        assertTrue(output.contains("READ-WRITE PermissionException: BPF_OBJ_GET"), output);
        assertTrue(output.contains("the pin's permissions (r--r--r--, owner root) do not let this process open it for "
                + "reading and writing; a map that is only to be read opens with BpfMap.openPinnedReadOnly(path)"),
                output);
        assertTrue(output.contains("WRITE PermissionException: BPF_MAP_UPDATE_ELEM"), output);
        assertTrue(output.contains("opened read-only"), output);
    }

    @Test
    void mapPinnedByNameIsCreatedPinnedAndReusedByTheNextLoad() {
        try (BpfObject first = load(LoadOptions.builder().pinRoot(root))) {
            assertEquals(Optional.of(root.resolve("shared")), first.map("shared").pinPath());
            assertEquals(Optional.empty(), first.map("counts").pinPath());
            TestRuns.packetVerdict(first.program("count_runs"));
        }
        assertTrue(Files.exists(root.resolve("shared")), "the pin outlives the object");
        try (BpfObject second = load(LoadOptions.builder().pinRoot(root))) {
            TestRuns.packetVerdict(second.program("count_runs"));
            assertEquals(2, longOf(second.map("shared").lookup(key(7)).orElseThrow()),
                    "the second load's program counted on in the first's map");
            assertEquals(1, longOf(second.map("counts").lookup(key(0)).orElseThrow()), "counts is the object's own");
        }
    }

    @Test
    void pinnedMapOfAnotherDefinitionIsRefusedWithTheDifferences() {
        try (BpfObject first = load(LoadOptions.builder().pinRoot(root))) {
            assertTrue(first.map("shared").pinPath().isPresent());
        }
        BpfException refused = assertThrows(BpfException.class,
                () -> load(LoadOptions.builder().pinRoot(root).maxEntries("shared", 32)).close());
        assertTrue(refused.getMessage().contains("pinned at " + root.resolve("shared"))
                && refused.getMessage().contains("max_entries 16 instead of 32"), refused.getMessage());
        assertTrue(refused.hint().orElse("").contains("rm " + root.resolve("shared")), refused.getMessage());
    }

    @Test
    void aProgramPinnedWhereAMapIsPinnedByNameIsRefusedAsSuch() {
        try (BpfObject first = load(LoadOptions.builder().pinRoot(root).programs(Set.of("count_runs")))) {
            BpfMap.unpin(root.resolve("shared"));
            first.program("count_runs").pin(root.resolve("shared"));
        }
        BpfException refused = assertThrows(BpfException.class,
                () -> load(LoadOptions.builder().pinRoot(root)).close());
        assertTrue(refused.getMessage().startsWith(root.resolve("shared") + " holds a prog, not a map"),
                refused.getMessage());
        assertTrue(refused.hint().orElse("").contains("rm " + root.resolve("shared")), refused.getMessage());
    }

    @Test
    void severalStalePinsAreNamedInOneFailure() {
        try (BpfObject first = load(LoadOptions.builder().pinRoot(root))) {
            assertTrue(first.map("seen").pinPath().isPresent());
        }
        List<String> before = OpenDescriptors.kernelObjects();
        BpfException refused = assertThrows(BpfException.class, () -> load(LoadOptions.builder().pinRoot(root)
                .maxEntries("shared", 32).maxEntries("seen", 4)).close());
        assertEquals(before, OpenDescriptors.kernelObjects(), "the pins opened to be checked are closed");
        assertTrue(refused.getMessage().startsWith("2 maps pinned by name cannot be used:\n  the map pinned at "
                + root.resolve("shared") + " cannot be used as map 'shared' of pinning: it has max_entries 16 instead "
                + "of 32\n  the map pinned at " + root.resolve("seen") + " cannot be used as map 'seen' of pinning: it "
                + "has max_entries 2 instead of 4"), refused.getMessage());
        assertTrue(refused.hint().orElse("").contains("rm " + root.resolve("shared") + " " + root.resolve("seen")),
                refused.getMessage());
        try (BpfObject again = load(LoadOptions.builder().pinRoot(root))) {
            assertTrue(again.map("shared").pinPath().isPresent(), "the pins are left as they were");
        }
    }

    @Test
    void mapOfOneObjectIsHandedToAnotherAtLoad() {
        try (BpfObject owner = load(LoadOptions.builder().pinRoot(root))) {
            try (BpfObject borrower = load(LoadOptions.builder().pinRoot(root)
                    .reuseMap("counts", owner.map("counts")))) {
                TestRuns.packetVerdict(borrower.program("count_runs"));
                TestRuns.packetVerdict(owner.program("count_runs"));
                assertEquals(2, longOf(owner.map("counts").lookup(key(0)).orElseThrow()),
                        "both objects' programs count in the owner's map");
            }
            assertEquals(2, longOf(owner.map("counts").lookup(key(0)).orElseThrow()),
                    "closing the borrower left the owner's map open");
            // A map opened from its pin and handed over keeps reporting that pin in the new object.
            Path pin = root.resolve("handed_over");
            owner.map("counts").pin(pin);
            try (BpfMap opened = BpfMap.openPinned(pin);
                    BpfObject next = load(LoadOptions.builder().pinRoot(root).reuseMap("counts", opened))) {
                assertEquals(Optional.of(pin), next.map("counts").pinPath());
            }
            BpfException mismatch = assertThrows(BpfException.class, () -> load(LoadOptions.builder().pinRoot(root)
                    .reuseMap("counts", owner.map("shared"))).close());
            assertTrue(mismatch.getMessage().contains("type HASH instead of ARRAY"), mismatch.getMessage());
        }
    }

    @Test
    void pinnedProgramStaysLoadedAfterItsObjectCloses() {
        Path pin = root.resolve("count_runs");
        int id;
        try (BpfObject object = load(LoadOptions.builder().pinRoot(root))) {
            BpfProgram program = object.program("count_runs");
            id = program.id();
            program.pin(pin);
        }
        try (Fd reopened = Pins.get(pin, 0)) {
            ProgramInfo info = Programs.info(reopened);
            assertEquals(id, info.id());
            assertEquals("count_runs", info.name());
        }
    }

    private static BpfObject load(LoadOptions.Builder options) {
        ObjectSpec spec = BpfFixtures.hostSpec("pinning", BpfFixtures.installedCompilers().get(0));
        return BpfObject.load(spec, options.build());
    }

    /** Runs {@link PinnedMapChild} on {@code pin} in a new JVM with this test's class path, and returns its output. */
    private static String runChildJvm(Path pin) throws Exception {
        return ChildJvm.run(PinnedMapChild.class, List.of(), List.of(), pin.toString());
    }

    private static byte[] key(int k) {
        return PinnedMapChild.key(k);
    }

    private static byte[] value(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, v).array();
    }

    private static long longOf(byte[] value) {
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong(0);
    }
}
