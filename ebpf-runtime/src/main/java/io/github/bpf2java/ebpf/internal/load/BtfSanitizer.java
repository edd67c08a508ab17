package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites an object's BTF into what the kernel's BTF checker accepts. Clang describes {@code __ksym} externs as
 * {@code extern} variables and functions inside a {@code .ksyms} DATASEC; the kernel accepts neither extern linkage
 * nor functions in a DATASEC. The loader resolves those externs against the kernel's own BTF, so the program's BTF
 * does not need them: each is replaced by an empty anonymous struct, which keeps every other type id valid.
 */
public final class BtfSanitizer {
    private static final String KSYMS = ".ksyms";

    private BtfSanitizer() {}

    /** {@code btf} as the kernel accepts it; the same instance when nothing needs changing. */
    static Btf forKernel(Btf btf) {
        List<BtfType> replacements = new ArrayList<>();
        for (int id = btf.firstTypeId(); id < btf.types().size(); id++) {
            BtfType type = btf.type(id);
            boolean extern = (type instanceof BtfType.Var v && v.linkage() == BtfType.Linkage.EXTERN)
                    || (type instanceof BtfType.Func f && f.linkage() == BtfType.Linkage.EXTERN);
            boolean ksyms = type instanceof BtfType.DataSection ds && ds.name().equals(KSYMS);
            if (extern || ksyms) {
                replacements.add(new BtfType.Struct(id, "", 0, List.of()));
            }
        }
        return replacements.isEmpty() ? btf : btf.with(replacements);
    }
}
