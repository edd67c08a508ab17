package io.github.bpf2java.maven.vmlinux;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How each struct and union is written so that a C compiler for the BPF target lays it out exactly as the BTF says.
 * BTF records the result of the kernel's layout (offsets and sizes), not the attributes that produced it
 * ({@code __packed}, {@code __aligned(64)}, {@code ____cacheline_aligned}). So each record is first laid out as C
 * would lay out its members naturally; where the BTF puts a member further on, unnamed bit-fields fill the gap (they
 * change neither the alignment of the record nor its BTF, which lists named members only); where it puts a member
 * closer than its natural alignment allows, or the size is not a multiple of the alignment, the record is written
 * {@code __attribute__((packed))} and laid out again.
 */
final class RecordLayout {
    /** One line of a record body: a BTF member or a run of padding bits. */
    sealed interface Item {}

    /** Member {@code index} of the record, with its bit-field width (0 when it is not a bit-field). */
    record Field(int index, Member member, int bits) implements Item {}

    /** An unnamed bit-field {@code <unit type>: bits;}; {@code unitBits} is 8, 16, 32 or 64. */
    record Padding(int unitBits, int bits) implements Item {}

    /**
     * The plan of one record.
     *
     * @param exact whether C reproduces the BTF layout; false only for records no C declaration can give (the
     *              header then says so in a comment)
     */
    record Plan(boolean packed, List<Item> items, boolean exact) {}

    private final Btf btf;
    private final Map<Integer, Plan> plans = new HashMap<>();
    private final Map<Integer, Integer> aligns = new HashMap<>();

    RecordLayout(Btf btf) {
        this.btf = btf;
    }

    /** The plan of struct or union {@code id}. */
    Plan plan(int id) {
        Plan p = plans.get(id);
        if (p == null) {
            BtfType t = btf.type(id);
            try {
                p = t instanceof BtfType.Union u ? planUnion(u) : planStruct((BtfType.Struct) t);
            } catch (ObjectFormatException e) {
                // A member without a size (an incomplete type by value): written as it is, flagged.
                List<Member> members = t instanceof BtfType.Union u ? u.members() : ((BtfType.Struct) t).members();
                List<Item> items = new ArrayList<>();
                for (int i = 0; i < members.size(); i++) {
                    items.add(new Field(i, members.get(i), bitfieldBits(members.get(i))));
                }
                p = new Plan(false, items, false);
            }
            plans.put(id, p);
        }
        return p;
    }

    /** The alignment in bytes the BPF target gives type {@code id} as this header writes it. */
    int alignOf(int id) {
        if (isBuiltinVaList(id)) {
            return 8;
        }
        BtfType t = btf.resolve(id);
        if (t instanceof BtfType.Int i) {
            return natural(i.size());
        } else if (t instanceof BtfType.Float f) {
            return natural(f.size());
        } else if (t instanceof BtfType.Enum e) {
            return natural(e.size());
        } else if (t instanceof BtfType.Pointer) {
            return 8;
        } else if (t instanceof BtfType.Array a) {
            return alignOf(a.elementTypeId());
        } else if (t instanceof BtfType.Struct || t instanceof BtfType.Union) {
            Integer known = aligns.get(t.id());
            if (known == null) {
                Plan p = plan(t.id());
                int align = 1;
                if (!p.packed()) {
                    for (Item item : p.items()) {
                        if (item instanceof Field f) {
                            align = Math.max(align, alignOf(f.member().typeId()));
                        }
                    }
                }
                known = align;
                aligns.put(t.id(), known);
            }
            return known;
        }
        return 1;
    }

    private static int natural(int size) {
        return size == 1 || size == 2 || size == 4 || size == 8 || size == 16 ? size : 1;
    }

    /** The bit-field width of member {@code m}: BTF's own, or that of an old-style bit-field integer type. */
    int bitfieldBits(Member m) {
        if (m.bitfieldSize() > 0) {
            return m.bitfieldSize();
        }
        if (btf.type(m.typeId()) instanceof BtfType.Int i && i.bits() != i.size() * 8) {
            return i.bits();
        }
        return 0;
    }

    private long bitOffset(Member m) {
        if (m.bitfieldSize() == 0 && btf.type(m.typeId()) instanceof BtfType.Int i && i.bits() != i.size() * 8) {
            return m.bitOffset() + i.bitOffset();
        }
        return m.bitOffset();
    }

    private long sizeBits(int typeId) {
        return isBuiltinVaList(typeId) ? 64 : 8 * btf.sizeOf(typeId);
    }

    /**
     * Whether the type is the compiler's {@code __builtin_va_list} (behind typedefs such as {@code va_list}), which
     * the header cannot redefine: for the BPF target it is a pointer, whatever the kernel's architecture made it, and
     * the padding after it makes up the difference.
     */
    private boolean isBuiltinVaList(int typeId) {
        BtfType t = btf.type(typeId);
        for (int guard = 0; guard < 64; guard++) {
            if (t instanceof BtfType.Typedef td) {
                if (td.name().startsWith("__builtin_")) {
                    return true;
                }
                t = btf.type(td.targetId());
            } else if (t instanceof BtfType.Qualifier q) {
                t = btf.type(q.targetId());
            } else {
                return false;
            }
        }
        return false;
    }

    private Plan planStruct(BtfType.Struct s) {
        Plan natural = layStruct(s, false);
        if (natural != null) {
            return natural;
        }
        Plan packed = layStruct(s, true);
        if (packed != null) {
            return packed;
        }
        // Overlapping members: no C struct has them. Write the members plainly and flag the record.
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < s.members().size(); i++) {
            items.add(new Field(i, s.members().get(i), bitfieldBits(s.members().get(i))));
        }
        return new Plan(false, items, false);
    }

    /** The struct laid out by C's rules, with padding where the BTF wants it; null when that cannot match. */
    private Plan layStruct(BtfType.Struct s, boolean packed) {
        List<Item> items = new ArrayList<>();
        long pos = 0;
        int align = 1;
        for (int i = 0; i < s.members().size(); i++) {
            Member m = s.members().get(i);
            int bits = bitfieldBits(m);
            long offset = bitOffset(m);
            int a = packed ? 1 : alignOf(m.typeId());
            long natural;
            if (bits == 0) {
                natural = roundUp(pos, 8L * a);
                if (offset % (8L * a) != 0) {
                    return null;
                }
            } else {
                long unit = sizeBits(m.typeId());
                natural = packed || fitsInUnit(pos, bits, unit) ? pos : roundUp(pos, unit);
                if (!packed && !fitsInUnit(offset, bits, unit)) {
                    return null;
                }
            }
            if (offset < pos) {
                return null;
            }
            if (offset != natural) {
                pad(items, pos, offset, packed);
            }
            items.add(new Field(i, m, bits));
            pos = offset + (bits == 0 ? sizeBits(m.typeId()) : bits);
            align = Math.max(align, a);
        }
        long size = 8L * s.size();
        if (pos > size || size % (8L * align) != 0) {
            return null;
        }
        if (roundUp(pos, 8L * align) != size) {
            pad(items, pos, size, packed);
        }
        return new Plan(packed, items, true);
    }

    private Plan planUnion(BtfType.Union u) {
        for (boolean packed : new boolean[] {false, true}) {
            List<Item> items = new ArrayList<>();
            long largest = 0;
            int align = 1;
            boolean atZero = true;
            for (int i = 0; i < u.members().size(); i++) {
                Member m = u.members().get(i);
                int bits = bitfieldBits(m);
                atZero &= bitOffset(m) == 0;
                items.add(new Field(i, m, bits));
                long unit = sizeBits(m.typeId());
                largest = Math.max(largest, bits == 0 || !packed ? unit : roundUp(bits, 8));
                align = Math.max(align, packed ? 1 : alignOf(m.typeId()));
            }
            long size = 8L * u.size();
            long natural = roundUp(largest, 8L * align);
            if (!atZero) {
                return new Plan(false, items, false);
            }
            if (natural == size) {
                return new Plan(packed, items, true);
            }
            // An unnamed bit-field makes a union as large as its width, up to 64 bits.
            if (natural < size && size % (8L * align) == 0 && size <= 64) {
                items.add(new Padding(unitFor(size), (int) size));
                return new Plan(packed, items, true);
            }
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < u.members().size(); i++) {
            items.add(new Field(i, u.members().get(i), bitfieldBits(u.members().get(i))));
        }
        return new Plan(false, items, false);
    }

    private static int unitFor(long bits) {
        return bits <= 8 ? 8 : bits <= 16 ? 16 : bits <= 32 ? 32 : 64;
    }

    /**
     * Unnamed bit-fields from bit {@code from} to {@code to}. Each piece is aligned to its own size, so that in a
     * record that is not packed none straddles its storage unit (which would move it on).
     */
    private static void pad(List<Item> items, long from, long to, boolean packed) {
        long pos = from;
        while (pos < to) {
            long left = to - pos;
            int bits;
            int unit;
            if (pos % 8 != 0) {
                bits = (int) Math.min(8 - pos % 8, left);
                unit = 8;
            } else if (pos % 64 == 0 && left >= 64) {
                bits = unit = 64;
            } else if (pos % 32 == 0 && left >= 32) {
                bits = unit = 32;
            } else if (pos % 16 == 0 && left >= 16) {
                bits = unit = 16;
            } else {
                bits = (int) Math.min(8, left);
                unit = 8;
            }
            items.add(new Padding(unit, bits));
            pos += bits;
        }
    }

    private static boolean fitsInUnit(long offset, int bits, long unit) {
        return unit == 0 || offset / unit == (offset + bits - 1) / unit;
    }

    private static long roundUp(long value, long to) {
        return to <= 1 ? value : (value + to - 1) / to * to;
    }
}
