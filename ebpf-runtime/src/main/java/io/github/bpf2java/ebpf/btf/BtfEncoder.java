package io.github.bpf2java.ebpf.btf;

import io.github.bpf2java.ebpf.btf.BtfType.DataSection;
import io.github.bpf2java.ebpf.btf.BtfType.DeclTag;
import io.github.bpf2java.ebpf.btf.BtfType.Enum;
import io.github.bpf2java.ebpf.btf.BtfType.EnumValue;
import io.github.bpf2java.ebpf.btf.BtfType.Forward;
import io.github.bpf2java.ebpf.btf.BtfType.Func;
import io.github.bpf2java.ebpf.btf.BtfType.FuncProto;
import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.ebpf.btf.BtfType.Param;
import io.github.bpf2java.ebpf.btf.BtfType.Qualifier;
import io.github.bpf2java.ebpf.btf.BtfType.Struct;
import io.github.bpf2java.ebpf.btf.BtfType.Typedef;
import io.github.bpf2java.ebpf.btf.BtfType.Union;
import io.github.bpf2java.ebpf.btf.BtfType.Var;
import io.github.bpf2java.ebpf.btf.BtfType.VarPlacement;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Btf} back to the raw format the kernel loads ({@code BPF_BTF_LOAD}), in a chosen byte order.
 *
 * <p>The string table starts as a copy of the parsed one, so offsets other data refer to ({@code .BTF.ext} line
 * info, for instance) stay valid, and names not yet in it are appended. Encoding a freshly parsed clang object gives
 * back the same bytes. For split BTF only the own types and strings are written, as the kernel expects.
 */
public final class BtfEncoder {
    private final Btf btf;
    private final ByteOrder order;
    private final ByteArrayOutputStream extraStrings = new ByteArrayOutputStream();
    private final Map<String, Integer> added = new HashMap<>();
    private final int ownStringsLength;
    private final byte[] ownStrings;

    private BtfEncoder(Btf btf, ByteOrder order) {
        this.btf = btf;
        this.order = order;
        this.ownStrings = btf.strings().ownBytes();
        this.ownStringsLength = ownStrings.length;
    }

    /** Encodes {@code btf} in its own byte order. */
    public static byte[] encode(Btf btf) {
        return encode(btf, btf.byteOrder());
    }

    /**
     * Encodes {@code btf} in byte order {@code order}.
     *
     * @throws ObjectFormatException when a type cannot be represented (more than 65535 members, say)
     */
    public static byte[] encode(Btf btf, ByteOrder order) {
        return new BtfEncoder(btf, order).encode();
    }

    private byte[] encode() {
        ByteBuffer types = ByteBuffer.allocate(1024).order(order);
        for (int id = btf.firstTypeId(); id < btf.count(); id++) {
            types = ensure(types, 64);
            BtfType t = btf.type(id);
            types = write(types, t);
        }
        byte[] strs = new byte[ownStringsLength + extraStrings.size()];
        System.arraycopy(ownStrings, 0, strs, 0, ownStringsLength);
        byte[] extra = extraStrings.toByteArray();
        System.arraycopy(extra, 0, strs, ownStringsLength, extra.length);

        int typeLen = types.position();
        ByteBuffer out = ByteBuffer.allocate(BtfKind.HEADER_SIZE + typeLen + strs.length).order(order);
        out.putShort((short) BtfKind.MAGIC).put((byte) 1).put((byte) 0).putInt(BtfKind.HEADER_SIZE);
        out.putInt(0).putInt(typeLen).putInt(typeLen).putInt(strs.length);
        out.put(types.array(), 0, typeLen).put(strs);
        return out.array();
    }

    private static ByteBuffer ensure(ByteBuffer b, int needed) {
        if (b.remaining() >= needed) {
            return b;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + needed)).order(b.order());
        b.flip();
        bigger.put(b);
        return bigger;
    }

    private int string(String s) {
        int existing = btf.strings().find(s);
        if (existing >= 0) {
            return existing;
        }
        Integer a = added.get(s);
        if (a != null) {
            return a;
        }
        int off = btf.strings().end() + extraStrings.size();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        extraStrings.write(b, 0, b.length);
        extraStrings.write(0);
        added.put(s, off);
        return off;
    }

    private static int info(int kind, int vlen, boolean kflag, int id) {
        if (vlen > 0xffff) {
            throw new ObjectFormatException("BTF: type " + id + " has " + vlen + " members; at most 65535 fit");
        }
        return (kflag ? 1 << 31 : 0) | kind << 24 | vlen;
    }

    private ByteBuffer header(ByteBuffer b, String name, int kind, int vlen, boolean kflag, int sizeOrType, int id,
            int extra) {
        b = ensure(b, BtfKind.TYPE_SIZE + extra);
        b.putInt(string(name)).putInt(info(kind, vlen, kflag, id)).putInt(sizeOrType);
        return b;
    }

    private ByteBuffer write(ByteBuffer b, BtfType t) {
        int id = t.id();
        int kind = Btf.kindOf(t);
        if (t instanceof BtfType.Int i) {
            b = header(b, i.name(), kind, 0, false, i.size(), id, 4);
            int enc = (i.signed() ? 1 : 0) | (i.isChar() ? 2 : 0) | (i.isBool() ? 4 : 0);
            b.putInt(enc << 24 | (i.bitOffset() & 0xff) << 16 | (i.bits() & 0xff));
        } else if (t instanceof BtfType.Pointer p) {
            b = header(b, "", kind, 0, false, p.targetId(), id, 0);
        } else if (t instanceof BtfType.Array a) {
            b = header(b, "", kind, 0, false, 0, id, 12);
            b.putInt(a.elementTypeId()).putInt(a.indexTypeId()).putInt(a.length());
        } else if (t instanceof Struct s) {
            b = members(b, s.name(), kind, s.size(), s.members(), id);
        } else if (t instanceof Union u) {
            b = members(b, u.name(), kind, u.size(), u.members(), id);
        } else if (t instanceof Enum e) {
            boolean wide = kind == BtfKind.ENUM64;
            List<EnumValue> values = e.values();
            b = header(b, e.name(), kind, values.size(), e.signed(), e.size(), id, values.size() * (wide ? 12 : 8));
            for (EnumValue v : values) {
                b.putInt(string(v.name())).putInt((int) v.value());
                if (wide) {
                    b.putInt((int) (v.value() >>> 32));
                }
            }
        } else if (t instanceof Forward f) {
            b = header(b, f.name(), kind, 0, f.union(), 0, id, 0);
        } else if (t instanceof Typedef d) {
            b = header(b, d.name(), kind, 0, false, d.targetId(), id, 0);
        } else if (t instanceof Qualifier q) {
            b = header(b, q.name(), kind, 0, q.attribute(), q.targetId(), id, 0);
        } else if (t instanceof Func f) {
            b = header(b, f.name(), kind, f.linkage().ordinal(), false, f.protoId(), id, 0);
        } else if (t instanceof FuncProto f) {
            b = header(b, "", kind, f.params().size(), false, f.returnTypeId(), id, 8 * f.params().size());
            for (Param p : f.params()) {
                b.putInt(string(p.name())).putInt(p.typeId());
            }
        } else if (t instanceof Var v) {
            b = header(b, v.name(), kind, 0, false, v.typeId(), id, 4);
            b.putInt(v.linkage().ordinal());
        } else if (t instanceof DataSection d) {
            b = header(b, d.name(), kind, d.variables().size(), false, d.size(), id, 12 * d.variables().size());
            for (VarPlacement v : d.variables()) {
                b.putInt(v.varTypeId()).putInt(v.offset()).putInt(v.size());
            }
        } else if (t instanceof BtfType.Float f) {
            b = header(b, f.name(), kind, 0, false, f.size(), id, 0);
        } else if (t instanceof DeclTag d) {
            b = header(b, d.name(), kind, 0, d.attribute(), d.targetId(), id, 4);
            b.putInt(d.componentIndex());
        } else {
            throw new ObjectFormatException("BTF: type " + id + " (" + t + ") cannot be encoded");
        }
        return b;
    }

    private ByteBuffer members(ByteBuffer b, String name, int kind, int size, List<Member> members, int id) {
        boolean bitfields = members.stream().anyMatch(m -> m.bitfieldSize() != 0);
        b = header(b, name, kind, members.size(), bitfields, size, id, 12 * members.size());
        for (Member m : members) {
            int offset = bitfields ? m.bitfieldSize() << 24 | (int) (m.bitOffset() & 0xffffff) : (int) m.bitOffset();
            b.putInt(string(m.name())).putInt(m.typeId()).putInt(offset);
        }
        return b;
    }
}
