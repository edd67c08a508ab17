package io.github.bpf2java.ebpf.internal.linker;

import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.btf.BtfType.Array;
import io.github.bpf2java.ebpf.btf.BtfType.DataSection;
import io.github.bpf2java.ebpf.btf.BtfType.DeclTag;
import io.github.bpf2java.ebpf.btf.BtfType.Enum;
import io.github.bpf2java.ebpf.btf.BtfType.Forward;
import io.github.bpf2java.ebpf.btf.BtfType.Func;
import io.github.bpf2java.ebpf.btf.BtfType.FuncProto;
import io.github.bpf2java.ebpf.btf.BtfType.Int;
import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.ebpf.btf.BtfType.Param;
import io.github.bpf2java.ebpf.btf.BtfType.Pointer;
import io.github.bpf2java.ebpf.btf.BtfType.Qualifier;
import io.github.bpf2java.ebpf.btf.BtfType.Struct;
import io.github.bpf2java.ebpf.btf.BtfType.Typedef;
import io.github.bpf2java.ebpf.btf.BtfType.Union;
import io.github.bpf2java.ebpf.btf.BtfType.Var;
import io.github.bpf2java.ebpf.btf.BtfType.VarPlacement;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Copies a BTF type under a new id with every type reference passed through a mapping. */
final class BtfTypeRewriter {
    private BtfTypeRewriter() {}

    /** The type ids {@code t} refers to, in a fixed order (the order {@link #rewrite} maps them). */
    static List<Integer> references(BtfType t) {
        List<Integer> refs = new ArrayList<>();
        rewrite(t, t.id(), id -> {
            refs.add(id);
            return id;
        });
        return refs;
    }

    /** {@code t} with id {@code newId} and each referenced type id {@code r} replaced by {@code map(r)}. */
    static BtfType rewrite(BtfType t, int newId, IntUnaryOperator map) {
        if (t instanceof BtfType.Void) {
            return t;
        } else if (t instanceof Int i) {
            return new Int(newId, i.name(), i.size(), i.signed(), i.isChar(), i.isBool(), i.bitOffset(), i.bits());
        } else if (t instanceof Pointer p) {
            return new Pointer(newId, map.applyAsInt(p.targetId()));
        } else if (t instanceof Array a) {
            return new Array(newId, map.applyAsInt(a.elementTypeId()), map.applyAsInt(a.indexTypeId()), a.length());
        } else if (t instanceof Struct s) {
            return new Struct(newId, s.name(), s.size(), members(s.members(), map));
        } else if (t instanceof Union u) {
            return new Union(newId, u.name(), u.size(), members(u.members(), map));
        } else if (t instanceof Enum e) {
            return new Enum(newId, e.name(), e.size(), e.signed(), e.values());
        } else if (t instanceof Forward f) {
            return new Forward(newId, f.name(), f.union());
        } else if (t instanceof Typedef d) {
            return new Typedef(newId, d.name(), map.applyAsInt(d.targetId()));
        } else if (t instanceof Qualifier q) {
            return new Qualifier(newId, q.kind(), q.name(), map.applyAsInt(q.targetId()), q.attribute());
        } else if (t instanceof Func f) {
            return new Func(newId, f.name(), map.applyAsInt(f.protoId()), f.linkage());
        } else if (t instanceof FuncProto f) {
            int ret = map.applyAsInt(f.returnTypeId());
            List<Param> params = new ArrayList<>(f.params().size());
            for (Param p : f.params()) {
                params.add(new Param(p.name(), map.applyAsInt(p.typeId())));
            }
            return new FuncProto(newId, ret, params);
        } else if (t instanceof Var v) {
            return new Var(newId, v.name(), map.applyAsInt(v.typeId()), v.linkage());
        } else if (t instanceof DataSection d) {
            List<VarPlacement> vars = new ArrayList<>(d.variables().size());
            for (VarPlacement v : d.variables()) {
                vars.add(new VarPlacement(map.applyAsInt(v.varTypeId()), v.offset(), v.size()));
            }
            return new DataSection(newId, d.name(), d.size(), vars);
        } else if (t instanceof BtfType.Float f) {
            return new BtfType.Float(newId, f.name(), f.size());
        } else if (t instanceof DeclTag d) {
            return new DeclTag(newId, d.name(), map.applyAsInt(d.targetId()), d.componentIndex(), d.attribute());
        }
        throw new ObjectFormatException("BTF: the linker does not know type " + t);
    }

    private static List<Member> members(List<Member> members, IntUnaryOperator map) {
        List<Member> out = new ArrayList<>(members.size());
        for (Member m : members) {
            out.add(new Member(m.name(), map.applyAsInt(m.typeId()), m.bitOffset(), m.bitfieldSize()));
        }
        return out;
    }
}
