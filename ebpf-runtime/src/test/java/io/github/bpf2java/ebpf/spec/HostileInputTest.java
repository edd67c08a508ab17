package io.github.bpf2java.ebpf.spec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfExt;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.elf.ElfFile;
import io.github.bpf2java.ebpf.internal.elf.ElfSection;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.ParseBounds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Malformed objects must fail with an {@link ObjectFormatException} naming what is wrong, never otherwise. */
class HostileInputTest {
    private static final String[] FIXTURES = {"counter", "maps", "legacy_maps", "globals", "core", "execsnoop"};
    private static final int[] INTERESTING = {0, 1, -1, 7, 8, 0x7f, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
        0x7ffffff8, 24, 12, 0x1f000000, 0x0f000000, 0x80ffffff};

    private static List<byte[]> objects() {
        List<byte[]> out = new ArrayList<>();
        for (String name : FIXTURES) {
            String compiler = BpfFixtures.availableCompilers().isEmpty() ? BpfFixtures.CLANG
                    : BpfFixtures.availableCompilers().get(0);
            out.add(BpfFixtures.compile(name, compiler, BpfFixtures.BPFEL, false).bytes());
            out.add(BpfFixtures.compile(name, compiler, BpfFixtures.BPFEB, true).bytes());
        }
        return out;
    }

    /** Parses everything the spec offers, so lazily decoded parts are exercised too. */
    private static void readFully(byte[] bytes) {
        ObjectSpec spec = ObjectSpec.read("fuzzed.o", bytes);
        spec.btf().ifPresent(HostileInputTest::walk);
    }

    /** Every type described, resolved, sized and aligned, and the BTF encoded: what the generator asks. */
    private static void walk(Btf btf) {
        ParseBounds.walkTypes(btf);
    }

    @Test
    void rejectsTruncationAtEverySectionBoundary() {
        for (byte[] object : objects()) {
            ElfFile elf = ElfFile.parse(object);
            TreeSet<Long> cuts = new TreeSet<>(List.of(0L, 4L, 16L, 63L, 64L));
            for (ElfSection s : elf.sections()) {
                if (s.hasContents()) {
                    cuts.add(s.offset());
                    cuts.add(s.offset() + s.size() / 2);
                    cuts.add(s.offset() + s.size() - 1);
                }
            }
            cuts.add((long) object.length - 1);
            for (long cut : cuts) {
                if (cut >= object.length) {
                    continue;
                }
                byte[] truncated = Arrays.copyOf(object, (int) cut);
                ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> readFully(truncated),
                        "truncated at " + cut);
                assertTrue(e.getMessage().startsWith("fuzzed.o") || e.getMessage().startsWith("BTF"),
                        e.getMessage());
            }
        }
    }

    @Test
    void rejectsSectionHeadersPointingOutsideTheFile() {
        for (byte[] object : objects()) {
            ElfFile elf = ElfFile.parse(object);
            ByteOrder order = elf.byteOrder();
            long shoff = ByteBuffer.wrap(object).order(order).getLong(40);
            for (ElfSection s : elf.sections()) {
                if (!s.hasContents()) {
                    continue;
                }
                for (int field : new int[] {24, 32}) {
                    byte[] bad = object.clone();
                    ByteBuffer.wrap(bad).order(order).putLong((int) (shoff + 64L * s.index() + field),
                            object.length + 1L);
                    assertThrows(ObjectFormatException.class, () -> readFully(bad), s.name() + " field " + field);
                }
            }
        }
    }

    @Test
    void rejectsHugeRecordCountsInBtfExt() {
        byte[] object = BpfFixtures.compile("globals").bytes();
        ElfFile elf = ElfFile.parse(object);
        ElfSection ext = elf.section(".BTF.ext").orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(object).order(elf.byteOrder());
        int hdrLen = b.getInt((int) ext.offset() + 4);
        int funcInfoOff = b.getInt((int) ext.offset() + 8);
        // func_info: rec_size, then sec_name_off and num_info of the first section.
        int numInfo = (int) ext.offset() + hdrLen + funcInfoOff + 8;
        byte[] bad = object.clone();
        ByteBuffer.wrap(bad).order(elf.byteOrder()).putInt(numInfo, 0x7fffffff);
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> readFully(bad));
        assertTrue(e.getMessage().contains(".BTF.ext") && e.getMessage().contains("records"), e.getMessage());
    }

    @Test
    void rejectsTypeLoopInsideAnObject() {
        byte[] object = BpfFixtures.compile("counter").bytes();
        ElfFile elf = ElfFile.parse(object);
        ElfSection btfSection = elf.section(".BTF").orElseThrow();
        Btf btf = Btf.parse(elf.contents(btfSection), elf.byteOrder());
        BtfType.Typedef typedef = btf.types().stream().filter(t -> t instanceof BtfType.Typedef)
                .map(t -> (BtfType.Typedef) t).findFirst().orElseThrow();
        // Point the typedef at itself by patching its type field in place.
        ByteBuffer b = ByteBuffer.wrap(object).order(elf.byteOrder());
        int typesStart = (int) btfSection.offset() + b.getInt((int) btfSection.offset() + 4);
        int pos = typesStart;
        byte[] raw = btf.rawBytes();
        for (int id = 1; id < typedef.id(); id++) {
            pos += recordSize(ByteBuffer.wrap(raw).order(elf.byteOrder()), pos - (int) btfSection.offset());
        }
        b.putInt(pos + 8, typedef.id());
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> readFully(object));
        assertTrue(e.getMessage().contains("loop"), e.getMessage());
    }

    private static int recordSize(ByteBuffer raw, int at) {
        int info = raw.getInt(at + 4);
        int kind = (info >>> 24) & 0x1f;
        int vlen = info & 0xffff;
        int extra = switch (kind) {
            case 1, 14, 17 -> 4;
            case 3 -> 12;
            case 4, 5, 15, 19 -> 12 * vlen;
            case 6, 13 -> 8 * vlen;
            default -> 0;
        };
        return 12 + extra;
    }

    @Test
    void survivesThousandsOfMutationsWithOnlyFormatErrors() {
        List<byte[]> objects = objects();
        List<String> failures = new ArrayList<>();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            Random random = new Random(20261125L);
            for (int i = 0; i < 6000; i++) {
                byte[] base = objects.get(i % objects.size());
                byte[] mutated = mutate(base, random, ElfFile.parse(base));
                try {
                    readFully(mutated);
                    outcomes[0]++;
                } catch (ObjectFormatException expected) {
                    // The only acceptable failure.
                    outcomes[1]++;
                } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                    failures.add("mutation " + i + ": " + e);
                    if (failures.size() == 1) {
                        e.printStackTrace();
                    }
                }
            }
        }, "a malformed object made the reader hang");
        System.out.println("mutations read: " + outcomes[0] + ", rejected: " + outcomes[1]);
        assertTrue(outcomes[0] > 600 && outcomes[1] > 600, "the mutations reach past the first checks: "
                + outcomes[0] + " read, " + outcomes[1] + " rejected");
        if (!failures.isEmpty()) {
            fail(failures.size() + " mutations escaped as other exceptions:\n"
                    + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
        }
    }

    @Test
    void survivesMutatedRawBtfAndBtfExt() {
        List<String> failures = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            Random random = new Random(7L);
            for (byte[] object : objects()) {
                ElfFile elf = ElfFile.parse(object);
                byte[] btfBytes = elf.contents(elf.section(".BTF").orElseThrow());
                byte[] extBytes = elf.contents(elf.section(".BTF.ext").orElseThrow());
                Btf good = Btf.parse(btfBytes, elf.byteOrder());
                for (int i = 0; i < 400; i++) {
                    byte[] m = mutateRegion(btfBytes, random, 0, btfBytes.length);
                    byte[] e = mutateRegion(extBytes, random, 0, extBytes.length);
                    try {
                        walk(Btf.parse(m, elf.byteOrder()));
                    } catch (ObjectFormatException expected) {
                        // fine
                    } catch (RuntimeException | StackOverflowError ex) {
                        failures.add("BTF mutation " + i + ": " + ex);
                    }
                    try {
                        BtfExt.parse(e, elf.byteOrder(), good);
                    } catch (ObjectFormatException expected) {
                        // fine
                    } catch (RuntimeException | StackOverflowError ex) {
                        failures.add("BTF.ext mutation " + i + ": " + ex);
                    }
                }
            }
        });
        if (!failures.isEmpty()) {
            fail(failures.size() + " mutations escaped:\n" + String.join("\n",
                    failures.subList(0, Math.min(20, failures.size()))));
        }
    }

    /** One of several mutations, aimed at the structures that matter more often than at code bytes. */
    private static byte[] mutate(byte[] base, Random random, ElfFile elf) {
        int strategy = random.nextInt(6);
        switch (strategy) {
            case 0 -> {
                return Arrays.copyOf(base, random.nextInt(base.length));
            }
            case 1 -> {
                return mutateRegion(base, random, 0, base.length);
            }
            case 2 -> {
                return mutateRegion(base, random, 0, 64);
            }
            default -> {
                // A section's bytes, or its header: BTF, BTF.ext, symbols, relocations, maps.
                List<ElfSection> sections = elf.sections().stream().filter(ElfSection::hasContents).toList();
                ElfSection s = sections.get(random.nextInt(sections.size()));
                if (strategy == 5) {
                    long shoff = ByteBuffer.wrap(base).order(elf.byteOrder()).getLong(40);
                    int at = (int) (shoff + 64L * s.index());
                    return mutateRegion(base, random, at, at + 64);
                }
                return mutateRegion(base, random, (int) s.offset(), (int) (s.offset() + s.size()));
            }
        }
    }

    private static byte[] mutateRegion(byte[] base, Random random, int from, int to) {
        byte[] out = base.clone();
        if (to - from < 4) {
            return out;
        }
        int edits = 1 + random.nextInt(4);
        for (int k = 0; k < edits; k++) {
            int at = from + random.nextInt(to - from - 3);
            if (random.nextBoolean()) {
                out[at] ^= (byte) (1 << random.nextInt(8));
            } else {
                int value = INTERESTING[random.nextInt(INTERESTING.length)];
                at &= ~3;
                if (at < from) {
                    at += 4;
                }
                if (at + 4 <= to) {
                    ByteBuffer.wrap(out).putInt(at, random.nextBoolean() ? value : Integer.reverseBytes(value));
                }
            }
        }
        return out;
    }
}
