package io.github.bpf2java.ebpf.internal.probe;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.bpf.BtfObjects;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the kernel takes each BTF kind: a few types using the kind are loaded ({@code BPF_BTF_LOAD}); a kernel
 * that does not know the kind rejects the whole blob.
 */
final class BtfProbes {
    /** Type id 1 in every probe: {@code int}. */
    private static final int INT = 1;

    private BtfProbes() {}

    /** Whether the kernel accepts the types that {@code feature} is about; only for the {@code BTF*} features. */
    static boolean accepts(KernelFeature feature) {
        List<BtfType> types = new ArrayList<>();
        types.add(new BtfType.Void());
        types.add(new BtfType.Int(INT, "int", 4, true, false, false, 0, 32));
        switch (feature) {
            case BTF -> { }
            case BTF_FUNC, BTF_GLOBAL_FUNC -> {
                types.add(new BtfType.FuncProto(2, INT, List.of(new BtfType.Param("x", INT))));
                types.add(new BtfType.Func(3, "probe", 2, feature == KernelFeature.BTF_FUNC
                        ? BtfType.Linkage.STATIC : BtfType.Linkage.GLOBAL));
            }
            case BTF_DATASEC -> {
                types.add(new BtfType.Var(2, "x", INT, BtfType.Linkage.STATIC));
                types.add(new BtfType.DataSection(3, ".data", 4, List.of(new BtfType.VarPlacement(2, 0, 4))));
            }
            case BTF_FLOAT -> types.add(new BtfType.Float(2, "float", 4));
            case BTF_DECL_TAG -> {
                types.add(new BtfType.Var(2, "x", INT, BtfType.Linkage.STATIC));
                types.add(new BtfType.DeclTag(3, "tag", 2, -1));
            }
            case BTF_TYPE_TAG -> {
                types.add(new BtfType.Qualifier(2, BtfType.QualifierKind.TYPE_TAG, "tag", INT));
                types.add(new BtfType.Pointer(3, 2));
            }
            case BTF_ENUM64 -> types.add(new BtfType.Enum(2, "e64", 8, false,
                    List.of(new BtfType.EnumValue("big", 1L << 40))));
            default -> throw new IllegalArgumentException(feature + " is not a BTF kind");
        }
        return loads(Btf.of(types, ByteOrder.nativeOrder()).rawBytes());
    }

    /** Loads {@code btf} for a map probe that needs key and value types; type {@link #INT} is {@code int}. */
    static Fd intTypes() {
        List<BtfType> types = List.of(new BtfType.Void(), new BtfType.Int(INT, "int", 4, true, false, false, 0, 32));
        return BtfObjects.load(Btf.of(types, ByteOrder.nativeOrder()).rawBytes(), "BTF probe");
    }

    /** The type id of {@code int} in {@link #intTypes()}. */
    static int intTypeId() {
        return INT;
    }

    @SuppressWarnings("try") // held open only to be closed
    private static boolean loads(byte[] btf) {
        try (Fd fd = BtfObjects.load(btf, "BTF probe")) {
            return true;
        } catch (PermissionException e) {
            throw e;
        } catch (KernelException e) {
            return false;
        }
    }
}
