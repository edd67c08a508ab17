package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.internal.probe.KernelFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Rewrites an object's BTF into what the kernel's BTF checker accepts. Each replacement takes the id of the type it
 * replaces, so every other type id (map key and value types, func info, CO-RE relocations) stays valid.
 *
 * <p>Always: clang describes {@code __ksym} externs as {@code extern} variables and functions inside a {@code .ksyms}
 * DATASEC; the kernel accepts neither extern linkage nor functions in a DATASEC. The loader resolves those externs
 * against the kernel's own BTF, so each is replaced by an empty anonymous struct.
 *
 * <p>On kernels older than the compiler, as libbpf does: a kind the kernel lacks becomes one it has, of the same size
 * where size matters — {@code DECL_TAG} an anonymous one-byte int, {@code TYPE_TAG} a {@code const}, {@code FLOAT}
 * an empty struct of its size, {@code ENUM64} an empty struct of eight bytes (and signed enums unsigned),
 * {@code VAR} a one-byte int and {@code DATASEC} a struct with a member per variable, global functions static, and
 * without BTF functions at all {@code FUNC} a typedef of an empty enum standing for its prototype.
 */
public final class BtfSanitizer {
    private static final String KSYMS = ".ksyms";

    private BtfSanitizer() {}

    /** {@code btf} as the running kernel accepts it; the same instance when nothing needs changing. */
    static Btf forKernel(Btf btf) {
        return forKernel(btf, KernelAdaptation::kernelHas);
    }

    /** {@code btf} as a kernel with {@code kernelHas} features accepts it. */
    public static Btf forKernel(Btf btf, Predicate<KernelFeature> kernelHas) {
        List<BtfType> replacements = new ArrayList<>();
        for (int id = btf.firstTypeId(); id < btf.types().size(); id++) {
            BtfType type = btf.type(id);
            BtfType replacement = replacement(type, btf, kernelHas);
            if (replacement != null) {
                replacements.add(replacement);
            }
        }
        return replacements.isEmpty() ? btf : btf.with(replacements);
    }

    /** What the kernel gets instead of {@code type}; null to keep it. Features are probed only for kinds present. */
    private static BtfType replacement(BtfType type, Btf btf, Predicate<KernelFeature> kernelHas) {
        int id = type.id();
        boolean extern = (type instanceof BtfType.Var v && v.linkage() == BtfType.Linkage.EXTERN)
                || (type instanceof BtfType.Func f && f.linkage() == BtfType.Linkage.EXTERN);
        if (extern || (type instanceof BtfType.DataSection ds && ds.name().equals(KSYMS))) {
            return emptyStruct(id, 0);
        }
        if (type instanceof BtfType.DeclTag tag && (!kernelHas.test(KernelFeature.BTF_DECL_TAG)
                || replacement(btf.type(tag.targetId()), btf, kernelHas) != null)) {
            // Also when its target is replaced: a tag may only name a struct, union, variable, function or typedef.
            return byteInt(id, "");
        }
        if (type instanceof BtfType.Qualifier q && q.kind() == BtfType.QualifierKind.TYPE_TAG
                && !kernelHas.test(KernelFeature.BTF_TYPE_TAG)) {
            return new BtfType.Qualifier(id, BtfType.QualifierKind.CONST, "", q.targetId());
        }
        if (type instanceof BtfType.Float f && !kernelHas.test(KernelFeature.BTF_FLOAT)) {
            // Anonymous: "float" is no valid struct name in C, and tools print these types as C.
            return emptyStruct(id, f.size());
        }
        if (type instanceof BtfType.Enum e && (e.size() > 4 || e.signed())
                && !kernelHas.test(KernelFeature.BTF_ENUM64)) {
            return e.size() > 4 ? emptyStruct(id, e.size()) : new BtfType.Enum(id, e.name(), e.size(), false,
                    e.values());
        }
        if (type instanceof BtfType.Var v && !kernelHas.test(KernelFeature.BTF_DATASEC)) {
            return byteInt(id, v.name());
        }
        if (type instanceof BtfType.DataSection ds && !kernelHas.test(KernelFeature.BTF_DATASEC)) {
            List<BtfType.Member> members = new ArrayList<>();
            for (BtfType.VarPlacement placement : ds.variables()) {
                members.add(new BtfType.Member(btf.type(placement.varTypeId()).name(), placement.varTypeId(),
                        placement.offset() * 8L, 0));
            }
            // Struct names must be C identifiers: ".data" becomes "_data".
            return new BtfType.Struct(id, ds.name().replace('.', '_'), ds.size(), members);
        }
        if (type instanceof BtfType.Func f && !kernelHas.test(KernelFeature.BTF_FUNC)) {
            return new BtfType.Typedef(id, f.name(), f.protoId());
        }
        if (type instanceof BtfType.FuncProto && !kernelHas.test(KernelFeature.BTF_FUNC)) {
            return new BtfType.Enum(id, "", 4, false, List.of());
        }
        if (type instanceof BtfType.Func f && f.linkage() == BtfType.Linkage.GLOBAL
                && !kernelHas.test(KernelFeature.BTF_GLOBAL_FUNC)) {
            return new BtfType.Func(id, f.name(), f.protoId(), BtfType.Linkage.STATIC);
        }
        return null;
    }

    private static BtfType emptyStruct(int id, int size) {
        return new BtfType.Struct(id, "", size, List.of());
    }

    private static BtfType byteInt(int id, String name) {
        return new BtfType.Int(id, name, 1, false, false, false, 0, 8);
    }
}
