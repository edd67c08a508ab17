package io.github.bpf2java.ebpf.btf;

import io.github.bpf2java.ebpf.btf.BtfType.DataSection;
import io.github.bpf2java.ebpf.btf.BtfType.DeclTag;
import io.github.bpf2java.ebpf.btf.BtfType.Enum;
import io.github.bpf2java.ebpf.btf.BtfType.EnumValue;
import io.github.bpf2java.ebpf.btf.BtfType.Forward;
import io.github.bpf2java.ebpf.btf.BtfType.Func;
import io.github.bpf2java.ebpf.btf.BtfType.FuncProto;
import io.github.bpf2java.ebpf.btf.BtfType.Linkage;
import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.ebpf.btf.BtfType.Param;
import io.github.bpf2java.ebpf.btf.BtfType.Qualifier;
import io.github.bpf2java.ebpf.btf.BtfType.QualifierKind;
import io.github.bpf2java.ebpf.btf.BtfType.Struct;
import io.github.bpf2java.ebpf.btf.BtfType.Typedef;
import io.github.bpf2java.ebpf.btf.BtfType.Union;
import io.github.bpf2java.ebpf.btf.BtfType.Var;
import io.github.bpf2java.ebpf.btf.BtfType.VarPlacement;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.elf.ByteReader;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.RandomAccess;

/**
 * The types of a {@code .BTF} section (or of the kernel's {@code /sys/kernel/btf/vmlinux}), parsed in Java.
 * Immutable. Every lookup is bounds-checked and every walk through references is loop-safe.
 *
 * <p>Parsing validates the whole type section (kinds, sizes, string offsets, type references, reference loops) but
 * builds the {@link BtfType} values lazily, on first access, so reading the kernel's ~150,000 types is quick when a
 * caller needs only a few of them.
 */
public final class Btf {
    private static final String CONTEXT = "BTF";
    /**
     * The longest name of a type, member, parameter, enumerator or tag, in bytes: the kernel's {@code KSYM_NAME_LEN},
     * the longest identifier it accepts in BTF. The cap keeps many records naming one long string, or overlapping
     * parts of it, from turning a small file into gigabytes of strings.
     */
    public static final int MAX_NAME_LENGTH = 512;

    private final ByteOrder order;
    private final Btf base;
    /** The id of this BTF's first own type: 1, or the base's type count for split BTF. */
    private final int firstId;
    /** The number of type ids, base types included, {@code void} included. */
    private final int count;
    private final BtfStrings strings;
    /** Raw data for lazily decoded types, or null when every type is in {@link #types}. */
    private final ByteReader raw;
    /** Absolute offsets of own types in the raw data, by {@code id - firstId}; null when there is no raw data. */
    private final int[] offsets;
    /** Own types, by {@code id - firstId}; filled lazily from the raw data. */
    private final BtfType[] types;
    /** The bytes as parsed, or null when types were replaced and {@link #rawBytes()} must encode. */
    private final byte[] parsedBytes;
    private volatile Map<String, int[]> nameIndex;
    private volatile byte[] encoded;
    private volatile TypeLayout layout;

    private Btf(ByteOrder order, Btf base, int count, BtfStrings strings, ByteReader raw, int[] offsets,
            BtfType[] types, byte[] parsedBytes) {
        this.order = order;
        this.base = base;
        this.firstId = base == null ? 1 : base.count;
        this.count = count;
        this.strings = strings;
        this.raw = raw;
        this.offsets = offsets;
        this.types = types;
        this.parsedBytes = parsedBytes;
    }

    /**
     * Parses raw BTF.
     *
     * @throws ObjectFormatException on truncated data, bad offsets, unknown kinds or references to missing types
     */
    public static Btf parse(byte[] data, ByteOrder order) {
        return parse(data, order, null);
    }

    /**
     * Parses raw BTF in whichever byte order its magic number says, as for {@code /sys/kernel/btf/vmlinux}.
     *
     * @throws ObjectFormatException as {@link #parse(byte[], ByteOrder)} does
     */
    public static Btf parse(byte[] data) {
        return parse(data, detectOrder(data), null);
    }

    /**
     * Parses split BTF (a kernel module's {@code /sys/kernel/btf/<module>}) on top of its {@code base}: type ids
     * continue after the base's, and string offsets below the base's string table size address the base's strings.
     * {@link #types()} and {@link #type(int)} then span the base's ids and this BTF's.
     *
     * @throws ObjectFormatException as {@link #parse(byte[], ByteOrder)} does
     */
    public static Btf parseSplit(byte[] data, Btf base) {
        return parse(data, base.byteOrder(), base);
    }

    /**
     * Builds BTF from types, e.g. to encode it with {@link BtfEncoder}. {@code types.get(i)} must have id
     * {@code i}, and the first must be {@link BtfType.Void}.
     *
     * @throws ObjectFormatException when ids do not match positions, a reference leads nowhere or loops
     */
    public static Btf of(List<? extends BtfType> types, ByteOrder order) {
        if (types.isEmpty() || !(types.get(0) instanceof BtfType.Void)) {
            throw new ObjectFormatException(CONTEXT + ": type 0 must be void");
        }
        BtfType[] own = new BtfType[types.size() - 1];
        for (int i = 1; i < types.size(); i++) {
            BtfType t = types.get(i);
            if (t.id() != i) {
                throw new ObjectFormatException(CONTEXT + ": type at position " + i + " has id " + t.id());
            }
            own[i - 1] = t;
        }
        Btf btf = new Btf(order, null, types.size(), BtfStrings.empty(), null, null, own, null);
        btf.validateRecords(own);
        return btf;
    }

    /**
     * A copy of this BTF with some types replaced, each replacement taking the place of the type with its
     * {@link BtfType#id()}. The string table is kept (new names are appended when encoding), so string offsets used
     * elsewhere, e.g. by {@code .BTF.ext} line info, stay valid.
     *
     * @throws ObjectFormatException when a replacement's id is not an own type id, a reference leads nowhere or the
     *     replacements make a loop
     */
    public Btf with(Collection<? extends BtfType> replacements) {
        // Earlier replacements live only in the types array, so it is copied whether or not raw data backs the rest.
        BtfType[] own = types.clone();
        List<BtfType> replaced = new ArrayList<>();
        for (BtfType t : replacements) {
            if (t.id() < firstId || t.id() >= count) {
                throw new ObjectFormatException(CONTEXT + ": replacement type id " + t.id() + " is not one of ids "
                        + firstId + ".." + (count - 1));
            }
            own[t.id() - firstId] = t;
            replaced.add(t);
        }
        // Unreplaced types keep coming lazily from the same raw data.
        Btf copy = new Btf(order, base, count, strings, raw, offsets, own, null);
        copy.validateRecords(replaced.toArray(new BtfType[0]));
        copy.checkLoops();
        return copy;
    }

    private static ByteOrder detectOrder(byte[] data) {
        if (data.length >= 2) {
            if ((data[0] & 0xff) == 0x9f && (data[1] & 0xff) == 0xeb) {
                return ByteOrder.LITTLE_ENDIAN;
            }
            if ((data[0] & 0xff) == 0xeb && (data[1] & 0xff) == 0x9f) {
                return ByteOrder.BIG_ENDIAN;
            }
        }
        throw new ObjectFormatException(CONTEXT + ": bad magic, not BTF data");
    }

    private static Btf parse(byte[] data, ByteOrder order, Btf base) {
        ByteReader in = new ByteReader(data, order, CONTEXT);
        int magic = in.u16(0, "magic");
        if (magic != BtfKind.MAGIC) {
            String hint = magic == Integer.reverseBytes(BtfKind.MAGIC) >>> 16
                    ? " (the data is in the other byte order)" : "";
            throw new ObjectFormatException(CONTEXT + ": bad magic 0x" + Integer.toHexString(magic) + hint);
        }
        int version = in.u8(2, "version");
        if (version != 1) {
            throw new ObjectFormatException(CONTEXT + ": unsupported version " + version);
        }
        long hdrLen = in.u32(4, "hdr_len");
        if (hdrLen < BtfKind.HEADER_SIZE || hdrLen > data.length) {
            throw new ObjectFormatException(CONTEXT + ": header length " + hdrLen + " is not between "
                    + BtfKind.HEADER_SIZE + " and the data size " + data.length);
        }
        long typeOff = hdrLen + in.u32(8, "type_off");
        long typeLen = in.u32(12, "type_len");
        long strOff = hdrLen + in.u32(16, "str_off");
        long strLen = in.u32(20, "str_len");
        in.check(typeOff, typeLen, "type section");
        in.check(strOff, strLen, "string section");
        if (typeOff % 4 != 0 || typeLen % 4 != 0) {
            throw new ObjectFormatException(CONTEXT + ": type section at " + typeOff + " (" + typeLen
                    + " bytes) is not 4-byte aligned");
        }
        BtfStrings strings = new BtfStrings(data, (int) strOff, (int) strLen, base == null ? null : base.strings);
        strings.validate(CONTEXT);

        int[] offsets = new int[(int) (typeLen / BtfKind.TYPE_SIZE)];
        int n = 0;
        long pos = typeOff;
        long end = typeOff + typeLen;
        int firstId = base == null ? 1 : base.count;
        while (pos < end) {
            int id = firstId + n;
            if (end - pos < BtfKind.TYPE_SIZE) {
                throw new ObjectFormatException(CONTEXT + ": type " + id + " at offset " + pos
                        + " is truncated");
            }
            int info = in.s32(pos + 4, "info");
            int kind = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            long extra = BtfKind.extraSize(kind, vlen);
            if (extra < 0) {
                throw new ObjectFormatException(CONTEXT + ": type " + id + " at offset " + pos
                        + " has unknown kind " + kind);
            }
            if (extra > end - pos - BtfKind.TYPE_SIZE) {
                throw new ObjectFormatException(CONTEXT + ": type " + id + " (" + BtfKind.name(kind) + ", vlen "
                        + vlen + ") at offset " + pos + " runs past the end of the type section");
            }
            offsets[n++] = (int) pos;
            pos += BtfKind.TYPE_SIZE + extra;
        }
        offsets = Arrays.copyOf(offsets, n);
        Btf btf = new Btf(order, base, firstId + n, strings, in, offsets, new BtfType[n], data);
        btf.validateRaw();
        btf.checkLoops();
        return btf;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Validation

    private void validateRaw() {
        for (int i = 0; i < offsets.length; i++) {
            int id = firstId + i;
            long p = offsets[i];
            int info = raw.s32(p + 4, "info");
            int kind = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            int sizeOrType = raw.s32(p + 8, "size/type");
            checkString(id, raw.u32(p, "name_off"));
            long x = p + BtfKind.TYPE_SIZE;
            switch (kind) {
                case BtfKind.INT -> {
                    int enc = raw.s32(x, "int encoding");
                    int bits = enc & 0xff;
                    int bitOff = (enc >>> 16) & 0xff;
                    if (sizeOrType <= 0 || sizeOrType > 16 || bits > 128 || bitOff + bits > sizeOrType * 8L) {
                        throw bad(id, "INT of size " + sizeOrType + " with " + bits + " bits at bit offset "
                                + bitOff);
                    }
                }
                case BtfKind.PTR, BtfKind.TYPEDEF, BtfKind.VOLATILE, BtfKind.CONST, BtfKind.RESTRICT,
                        BtfKind.TYPE_TAG -> checkRef(id, sizeOrType);
                case BtfKind.ARRAY -> {
                    checkRef(id, raw.s32(x, "array element type"));
                    checkRef(id, raw.s32(x + 4, "array index type"));
                }
                case BtfKind.STRUCT, BtfKind.UNION -> {
                    for (int m = 0; m < vlen; m++) {
                        long e = x + 12L * m;
                        checkString(id, raw.u32(e, "member name"));
                        checkRef(id, raw.s32(e + 4, "member type"));
                    }
                }
                case BtfKind.ENUM, BtfKind.ENUM64 -> {
                    long stride = kind == BtfKind.ENUM ? 8 : 12;
                    for (int m = 0; m < vlen; m++) {
                        checkString(id, raw.u32(x + stride * m, "enumerator name"));
                    }
                }
                case BtfKind.FWD, BtfKind.FLOAT -> {
                    // Nothing refers onwards.
                }
                case BtfKind.FUNC -> {
                    if (vlen > 2) {
                        throw bad(id, "FUNC with unknown linkage " + vlen);
                    }
                    checkRef(id, sizeOrType);
                }
                case BtfKind.FUNC_PROTO -> {
                    checkRef(id, sizeOrType);
                    for (int m = 0; m < vlen; m++) {
                        checkString(id, raw.u32(x + 8L * m, "parameter name"));
                        checkRef(id, raw.s32(x + 8L * m + 4, "parameter type"));
                    }
                }
                case BtfKind.VAR -> {
                    checkRef(id, sizeOrType);
                    long linkage = raw.u32(x, "var linkage");
                    if (linkage > 2) {
                        throw bad(id, "VAR with unknown linkage " + linkage);
                    }
                }
                case BtfKind.DATASEC -> {
                    for (int m = 0; m < vlen; m++) {
                        checkRef(id, raw.s32(x + 12L * m, "datasec variable"));
                    }
                }
                case BtfKind.DECL_TAG -> {
                    checkRef(id, sizeOrType);
                    if (raw.s32(x, "component_idx") < -1) {
                        throw bad(id, "DECL_TAG with component index " + raw.s32(x, "component_idx"));
                    }
                }
                default -> throw bad(id, "unknown kind " + kind);
            }
        }
    }

    private void validateRecords(BtfType[] records) {
        for (BtfType t : records) {
            if (t == null) {
                continue;
            }
            int id = t.id();
            for (int ref : references(t)) {
                checkRef(id, ref);
            }
            if (t instanceof Struct s && s.members().size() > 0xffff
                    || t instanceof Union u && u.members().size() > 0xffff
                    || t instanceof Enum e && e.values().size() > 0xffff
                    || t instanceof FuncProto f && f.params().size() > 0xffff
                    || t instanceof DataSection d && d.variables().size() > 0xffff) {
                throw bad(id, "more than 65535 members");
            }
        }
        checkLoops();
    }

    private void checkString(int id, long offset) {
        if (!strings.isValid(offset)) {
            throw bad(id, "name offset " + offset + " outside the string table (" + strings.end() + " bytes)");
        }
        if (strings.length(offset, MAX_NAME_LENGTH) < 0) {
            throw bad(id, "the name at string offset " + offset + " is longer than " + MAX_NAME_LENGTH + " bytes");
        }
    }

    private void checkRef(int id, long target) {
        if (target < 0 || target >= count) {
            throw bad(id, "reference to type " + Integer.toUnsignedLong((int) target) + ", but the highest type id is "
                    + (count - 1));
        }
    }

    private ObjectFormatException bad(int id, String what) {
        return new ObjectFormatException(CONTEXT + ": type " + id + ": " + what);
    }

    /**
     * Rejects cycles along typedef, qualifier, pointer, array-element and var links (the kernel does too), so that
     * every later walk along them ends.
     */
    private void checkLoops() {
        byte[] state = new byte[types.length]; // 0 = unvisited, 1 = on the current path, 2 = ends well
        int[] path = new int[16];
        for (int start = 0; start < types.length; start++) {
            if (state[start] != 0) {
                continue;
            }
            int len = 0;
            int cur = firstId + start;
            while (true) {
                int idx = cur - firstId;
                if (cur < firstId || state[idx] == 2) {
                    break;
                }
                if (state[idx] == 1) {
                    throw bad(cur, "reference loop through " + BtfKind.name(kindOf(cur)) + " types");
                }
                state[idx] = 1;
                if (len == path.length) {
                    path = Arrays.copyOf(path, len * 2);
                }
                path[len++] = idx;
                int next = chainNext(cur);
                if (next < 0) {
                    break;
                }
                cur = next;
            }
            for (int i = 0; i < len; i++) {
                state[path[i]] = 2;
            }
        }
    }

    /** The next id along a typedef/qualifier/pointer/array/var link, or -1 where the chain ends. */
    private int chainNext(int id) {
        BtfType t = types[id - firstId];
        if (t == null) {
            long p = offsets[id - firstId];
            int kind = kindOf(id);
            return switch (kind) {
                case BtfKind.PTR, BtfKind.TYPEDEF, BtfKind.VOLATILE, BtfKind.CONST, BtfKind.RESTRICT,
                        BtfKind.TYPE_TAG, BtfKind.VAR -> raw.s32(p + 8, "type");
                case BtfKind.ARRAY -> raw.s32(p + BtfKind.TYPE_SIZE, "array element type");
                default -> -1;
            };
        }
        if (t instanceof BtfType.Pointer p) {
            return p.targetId();
        } else if (t instanceof Typedef d) {
            return d.targetId();
        } else if (t instanceof Qualifier q) {
            return q.targetId();
        } else if (t instanceof Var v) {
            return v.typeId();
        } else if (t instanceof BtfType.Array a) {
            return a.elementTypeId();
        }
        return -1;
    }

    /** Every type id {@code t} refers to. */
    static int[] references(BtfType t) {
        if (t instanceof BtfType.Pointer p) {
            return new int[] {p.targetId()};
        } else if (t instanceof BtfType.Array a) {
            return new int[] {a.elementTypeId(), a.indexTypeId()};
        } else if (t instanceof Struct s) {
            return s.members().stream().mapToInt(Member::typeId).toArray();
        } else if (t instanceof Union u) {
            return u.members().stream().mapToInt(Member::typeId).toArray();
        } else if (t instanceof Typedef d) {
            return new int[] {d.targetId()};
        } else if (t instanceof Qualifier q) {
            return new int[] {q.targetId()};
        } else if (t instanceof Func f) {
            return new int[] {f.protoId()};
        } else if (t instanceof FuncProto f) {
            int[] refs = new int[f.params().size() + 1];
            refs[0] = f.returnTypeId();
            for (int i = 0; i < f.params().size(); i++) {
                refs[i + 1] = f.params().get(i).typeId();
            }
            return refs;
        } else if (t instanceof Var v) {
            return new int[] {v.typeId()};
        } else if (t instanceof DataSection d) {
            return d.variables().stream().mapToInt(VarPlacement::varTypeId).toArray();
        } else if (t instanceof DeclTag d) {
            return new int[] {d.targetId()};
        }
        return new int[0];
    }

    /**
     * Whether type {@code id} is an enum of 8 bytes written as {@code BTF_KIND_ENUM}, whose enumerators BTF holds in
     * 32 bits: clang (14 to 19 at least) writes an enum with a fixed 64-bit type ({@code enum e : __u64}) so, cutting
     * every enumerator above 32 bits. Such an enum's values are not to be trusted; its members' numbers are. False for
     * BTF built from types ({@link #of}), which keeps no kinds.
     */
    public boolean hasTruncatedEnumValues(int id) {
        if (!(type(id) instanceof Enum e) || e.size() != 8 || offsets == null || id < firstId) {
            return false;
        }
        return ((raw.s32(offsets[id - firstId] + 4L, "info") >>> 24) & 0x1f) == BtfKind.ENUM;
    }

    private int kindOf(int id) {
        BtfType t = types[id - firstId];
        if (t == null) {
            return (raw.s32(offsets[id - firstId] + 4L, "info") >>> 24) & 0x1f;
        }
        return kindOf(t);
    }

    static int kindOf(BtfType t) {
        if (t instanceof BtfType.Int) {
            return BtfKind.INT;
        } else if (t instanceof BtfType.Pointer) {
            return BtfKind.PTR;
        } else if (t instanceof BtfType.Array) {
            return BtfKind.ARRAY;
        } else if (t instanceof Struct) {
            return BtfKind.STRUCT;
        } else if (t instanceof Union) {
            return BtfKind.UNION;
        } else if (t instanceof Enum e) {
            return e.size() == 8 ? BtfKind.ENUM64 : BtfKind.ENUM;
        } else if (t instanceof Forward) {
            return BtfKind.FWD;
        } else if (t instanceof Typedef) {
            return BtfKind.TYPEDEF;
        } else if (t instanceof Qualifier q) {
            return switch (q.kind()) {
                case VOLATILE -> BtfKind.VOLATILE;
                case CONST -> BtfKind.CONST;
                case RESTRICT -> BtfKind.RESTRICT;
                case TYPE_TAG -> BtfKind.TYPE_TAG;
            };
        } else if (t instanceof Func) {
            return BtfKind.FUNC;
        } else if (t instanceof FuncProto) {
            return BtfKind.FUNC_PROTO;
        } else if (t instanceof Var) {
            return BtfKind.VAR;
        } else if (t instanceof DataSection) {
            return BtfKind.DATASEC;
        } else if (t instanceof BtfType.Float) {
            return BtfKind.FLOAT;
        } else if (t instanceof DeclTag) {
            return BtfKind.DECL_TAG;
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Decoding

    private BtfType decode(int id) {
        int p = offsets[id - firstId];
        String name = strings.get(raw.u32(p, "name_off"));
        int info = raw.s32(p + 4L, "info");
        int kind = (info >>> 24) & 0x1f;
        int vlen = info & 0xffff;
        boolean kflag = info < 0;
        int sizeOrType = raw.s32(p + 8L, "size/type");
        long x = p + (long) BtfKind.TYPE_SIZE;
        return switch (kind) {
            case BtfKind.INT -> {
                int enc = raw.s32(x, "int encoding");
                int flags = (enc >>> 24) & 0xf;
                yield new BtfType.Int(id, name, sizeOrType, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0,
                        (enc >>> 16) & 0xff, enc & 0xff);
            }
            case BtfKind.PTR -> new BtfType.Pointer(id, sizeOrType);
            case BtfKind.ARRAY -> new BtfType.Array(id, raw.s32(x, "elem"), raw.s32(x + 4, "index"),
                    raw.s32(x + 8, "nelems"));
            case BtfKind.STRUCT, BtfKind.UNION -> {
                Member[] members = new Member[vlen];
                for (int m = 0; m < vlen; m++) {
                    long e = x + 12L * m;
                    int off = raw.s32(e + 8, "member offset");
                    members[m] = kflag
                            ? new Member(strings.get(raw.u32(e, "name")), raw.s32(e + 4, "type"), off & 0xffffff,
                                    off >>> 24)
                            : new Member(strings.get(raw.u32(e, "name")), raw.s32(e + 4, "type"),
                                    Integer.toUnsignedLong(off), 0);
                }
                yield kind == BtfKind.STRUCT
                        ? new Struct(id, name, sizeOrType, List.of(members))
                        : new Union(id, name, sizeOrType, List.of(members));
            }
            case BtfKind.ENUM -> {
                EnumValue[] values = new EnumValue[vlen];
                for (int m = 0; m < vlen; m++) {
                    int v = raw.s32(x + 8L * m + 4, "enum value");
                    values[m] = new EnumValue(strings.get(raw.u32(x + 8L * m, "name")),
                            kflag ? v : Integer.toUnsignedLong(v));
                }
                yield new Enum(id, name, sizeOrType, kflag, List.of(values));
            }
            case BtfKind.ENUM64 -> {
                EnumValue[] values = new EnumValue[vlen];
                for (int m = 0; m < vlen; m++) {
                    long e = x + 12L * m;
                    long lo = raw.u32(e + 4, "enum64 lo");
                    long hi = raw.u32(e + 8, "enum64 hi");
                    values[m] = new EnumValue(strings.get(raw.u32(e, "name")), hi << 32 | lo);
                }
                yield new Enum(id, name, sizeOrType, kflag, List.of(values));
            }
            case BtfKind.FWD -> new Forward(id, name, kflag);
            case BtfKind.TYPEDEF -> new Typedef(id, name, sizeOrType);
            case BtfKind.VOLATILE -> new Qualifier(id, QualifierKind.VOLATILE, name, sizeOrType);
            case BtfKind.CONST -> new Qualifier(id, QualifierKind.CONST, name, sizeOrType);
            case BtfKind.RESTRICT -> new Qualifier(id, QualifierKind.RESTRICT, name, sizeOrType);
            case BtfKind.TYPE_TAG -> new Qualifier(id, QualifierKind.TYPE_TAG, name, sizeOrType, kflag);
            case BtfKind.FUNC -> new Func(id, name, sizeOrType, Linkage.values()[vlen]);
            case BtfKind.FUNC_PROTO -> {
                Param[] params = new Param[vlen];
                for (int m = 0; m < vlen; m++) {
                    params[m] = new Param(strings.get(raw.u32(x + 8L * m, "name")),
                            raw.s32(x + 8L * m + 4, "type"));
                }
                yield new FuncProto(id, sizeOrType, List.of(params));
            }
            case BtfKind.VAR -> new Var(id, name, sizeOrType, Linkage.values()[raw.s32(x, "linkage")]);
            case BtfKind.DATASEC -> {
                VarPlacement[] vars = new VarPlacement[vlen];
                for (int m = 0; m < vlen; m++) {
                    long e = x + 12L * m;
                    vars[m] = new VarPlacement(raw.s32(e, "type"), raw.s32(e + 4, "offset"), raw.s32(e + 8, "size"));
                }
                yield new DataSection(id, name, sizeOrType, List.of(vars));
            }
            case BtfKind.FLOAT -> new BtfType.Float(id, name, sizeOrType);
            case BtfKind.DECL_TAG -> new DeclTag(id, name, sizeOrType, raw.s32(x, "component_idx"), kflag);
            default -> throw bad(id, "unknown kind " + kind); // unreachable: validated at parse time
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Public lookups

    /** The byte order of the raw data. */
    public ByteOrder byteOrder() {
        return order;
    }

    /** The base this split BTF extends, if it is split BTF. */
    public Optional<Btf> base() {
        return Optional.ofNullable(base);
    }

    /** The id of this BTF's first own type: 1, or for split BTF the number of the base's types. */
    public int firstTypeId() {
        return firstId;
    }

    /** All types, indexed by id; index 0 is {@link BtfType.Void}. For split BTF the base's types come first. */
    public List<BtfType> types() {
        return new TypeList();
    }

    /** The type with id {@code id}; an {@link ObjectFormatException} when out of range. */
    public BtfType type(int id) {
        if (id == 0) {
            return VOID;
        }
        if (id < 0 || id >= count) {
            throw new ObjectFormatException(CONTEXT + ": type id " + Integer.toUnsignedLong(id)
                    + " out of range (the highest is " + (count - 1) + ")");
        }
        if (id < firstId) {
            return base.type(id);
        }
        BtfType t = types[id - firstId];
        if (t == null) {
            // Racing threads decode equal immutable values; either write is fine.
            t = decode(id);
            types[id - firstId] = t;
        }
        return t;
    }

    private static final BtfType VOID = new BtfType.Void();

    /** The first type of class {@code kind} named {@code name}. */
    public <T extends BtfType> Optional<T> find(String name, Class<T> kind) {
        for (int id : ids(name)) {
            BtfType t = type(id);
            if (kind.isInstance(t)) {
                return Optional.of(kind.cast(t));
            }
        }
        return Optional.empty();
    }

    /** Every type named {@code name}, in id order (base types first for split BTF). */
    public List<BtfType> findAll(String name) {
        int[] ids = ids(name);
        List<BtfType> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(type(id));
        }
        return out;
    }

    private int[] ids(String name) {
        List<int[]> parts = new ArrayList<>(2);
        if (base != null) {
            parts.add(base.ids(name));
        }
        int[] own = nameIndex().get(name);
        if (own != null) {
            parts.add(own);
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return parts.stream().flatMapToInt(Arrays::stream).toArray();
    }

    /**
     * The distinct names of this BTF's own types (for split BTF, not the base's), e.g. to find every type whose name
     * follows a pattern such as CO-RE's {@code name___flavor}.
     */
    public java.util.Set<String> ownNames() {
        return java.util.Collections.unmodifiableSet(nameIndex().keySet());
    }

    private Map<String, int[]> nameIndex() {
        Map<String, int[]> idx = nameIndex;
        if (idx == null) {
            // Each entry grows by doubling, with its count in slot 0, so that many types of one name stay linear.
            Map<String, int[]> growing = new HashMap<>(types.length * 2);
            for (int i = 0; i < types.length; i++) {
                int id = firstId + i;
                BtfType t = types[i];
                String n = t != null ? t.name() : strings.get(raw.u32(offsets[i], "name_off"));
                if (n.isEmpty()) {
                    continue;
                }
                int[] ids = growing.get(n);
                if (ids == null) {
                    ids = new int[] {0, 0};
                } else if (ids[0] + 1 == ids.length) {
                    ids = Arrays.copyOf(ids, ids.length * 2);
                }
                ids[++ids[0]] = id;
                growing.put(n, ids);
            }
            idx = new HashMap<>(growing.size() * 2);
            for (Map.Entry<String, int[]> e : growing.entrySet()) {
                int[] ids = e.getValue();
                idx.put(e.getKey(), Arrays.copyOfRange(ids, 1, ids[0] + 1));
            }
            nameIndex = idx;
        }
        return idx;
    }

    /** Follows typedefs and qualifiers from {@code id} to the underlying type (loop-safe, remembered per id). */
    public BtfType resolve(int id) {
        return type(layout().resolve(id));
    }

    /**
     * The size in bytes of type {@code id} (pointers are 8 bytes), following typedefs, qualifiers, vars and arrays.
     * Remembered per id, so asking for every type's size takes time linear in the number of types.
     *
     * @throws ObjectFormatException when the type has no size (a function, a forward declaration, {@code void}) or
     *     the size of an array overflows 64 bits
     */
    public long sizeOf(int id) {
        return layout().sizeOf(id);
    }

    /**
     * The alignment in bytes of type {@code id} as the BPF target lays it out: the natural alignment of its
     * scalars, capped at 8, or 1 for a struct whose members are not naturally aligned (a packed struct). Remembered
     * per id, so asking for every type's alignment takes time linear in the number of types and members, however
     * they nest.
     *
     * @throws ObjectFormatException when the type has no alignment (a function, a forward declaration) or a struct
     *     contains itself by value
     */
    public int alignOf(int id) {
        return layout().alignOf(id);
    }

    private TypeLayout layout() {
        TypeLayout l = layout;
        if (l == null) {
            // Racing threads may each make one; either is fine, as both compute equal values.
            l = new TypeLayout(this, count);
            layout = l;
        }
        return l;
    }

    /**
     * Where {@code s} starts in the string table (or the base's, for split BTF), so records that refer to strings by
     * offset, such as CO-RE relocations handed to the kernel, can be rebuilt.
     */
    public OptionalInt stringOffset(String s) {
        int offset = strings.find(s);
        return offset < 0 ? OptionalInt.empty() : OptionalInt.of(offset);
    }

    /** The string at {@code offset} of the string table. */
    public String string(int offset) {
        return strings.get(Integer.toUnsignedLong(offset));
    }

    /**
     * A C-like spelling of type {@code id} for messages and Javadoc, e.g. {@code struct event *} or {@code u32[16]}.
     * The work is bounded whatever the type graph: at most 32 references deep ({@code ...} beyond), at most 512
     * characters (cut with {@code ...}), and a type met again on its own path is spelled {@code <loop>}.
     */
    public String describe(int id) {
        return TypeDescription.of(this, id);
    }

    /**
     * The raw bytes as read, for loading into the kernel after the loader's fix-ups; for BTF made by
     * {@link #with(Collection)} or {@link #of(List, ByteOrder)}, the encoding of its types.
     */
    public byte[] rawBytes() {
        if (parsedBytes != null) {
            return parsedBytes.clone();
        }
        byte[] e = encoded;
        if (e == null) {
            e = BtfEncoder.encode(this, order);
            encoded = e;
        }
        return e.clone();
    }

    /** The string table, for the encoder. */
    BtfStrings strings() {
        return strings;
    }

    /** The number of type ids including {@code void} and, for split BTF, the base's. */
    int count() {
        return count;
    }

    /** A read-only view of the types by id that decodes them on first access. */
    private final class TypeList extends AbstractList<BtfType> implements RandomAccess {
        @Override
        public BtfType get(int index) {
            if (index < 0 || index >= count) {
                throw new IndexOutOfBoundsException("type id " + index + " of " + count);
            }
            return type(index);
        }

        @Override
        public int size() {
            return count;
        }
    }
}
