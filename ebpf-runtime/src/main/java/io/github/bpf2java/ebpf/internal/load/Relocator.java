package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.asm.Instructions;
import io.github.bpf2java.ebpf.internal.asm.Opcodes;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.load.LinkedProgram.PlacedRelocation;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.Relocation;
import java.util.Map;
import java.util.Optional;

/**
 * Fills in what a linked program refers to outside itself: map descriptors and addresses inside global data
 * ({@code BPF_PSEUDO_MAP_FD}, {@code BPF_PSEUDO_MAP_VALUE}), {@code .kconfig} values, and kernel symbols named by
 * {@code __ksym} externs (kernel functions by BTF id, typed variables by BTF id, typeless ones by address).
 */
public final class Relocator {
    private static final String KCONFIG_MAP = ".kconfig";
    /**
     * The helper number a call of a missing {@code __weak} kernel function becomes; far above any real helper, so
     * the verifier names it ({@code unknown#2002000000}) if the call is reachable.
     */
    static final int POISONED_KFUNC_CALL = 2_002_000_000;

    private final ObjectSpec spec;
    private final Map<String, MapFd> maps;
    private final KernelSymbols symbols;

    Relocator(ObjectSpec spec, Map<String, MapFd> maps, KernelSymbols symbols) {
        this.spec = spec;
        this.maps = maps;
        this.symbols = symbols;
    }

    /** Patches {@code linked}'s instructions in place. */
    void apply(LinkedProgram linked) {
        Instructions code = linked.instructions();
        for (PlacedRelocation placed : linked.relocations()) {
            int at = placed.instruction();
            Relocation relocation = placed.relocation();
            if (relocation instanceof Relocation.MapReference ref) {
                requireLoadImm64(code, placed, "map '" + ref.mapName() + "'");
                code.setSourceRegister(at, Opcodes.PSEUDO_MAP_FD);
                code.setImmediate(at, map(ref.mapName(), placed).fd().raw());
                code.setImmediate(at + 1, 0);
            } else if (relocation instanceof Relocation.MapValueReference ref) {
                requireLoadImm64(code, placed, "data of map '" + ref.mapName() + "'");
                pointIntoMap(code, at, map(ref.mapName(), placed), ref.offset());
            } else if (relocation instanceof Relocation.ExternReference ext) {
                if (ext.kind() == Relocation.ExternKind.KCONFIG) {
                    requireLoadImm64(code, placed, "kconfig extern '" + ext.symbolName() + "'");
                    pointIntoMap(code, at, map(KCONFIG_MAP, placed), ext.offset());
                } else {
                    resolveKernelSymbol(code, placed, ext);
                }
            } else if (relocation instanceof Relocation.ArenaReference arena) {
                throw new BpfException(context(placed) + " refers to a global in BPF arena memory (section "
                        + arena.sectionName() + "), which bpf2java cannot load yet",
                        "keep the variable out of the arena (no __arena) or allocate it with "
                                + "bpf_arena_alloc_pages() at run time", null);
            } else {
                throw new IllegalStateException("the linker leaves no " + relocation + " behind");
            }
        }
    }

    private void resolveKernelSymbol(Instructions code, PlacedRelocation placed, Relocation.ExternReference ext) {
        int at = placed.instruction();
        String name = ext.symbolName();
        String context = context(placed);
        if (code.opcode(at) == Opcodes.CALL) {
            Optional<Integer> id = symbols.findKernelFunction(name);
            if (id.isEmpty() && ext.weak()) {
                poisonCall(code, at);
                return;
            }
            code.setSourceRegister(at, Opcodes.PSEUDO_KFUNC_CALL);
            code.setImmediate(at, id.orElseGet(() -> symbols.kernelFunction(name, context)));
            code.setOffset(at, (short) 0);
            return;
        }
        requireLoadImm64(code, placed, "__ksym extern '" + name + "'");
        if (isTypeless(name)) {
            Optional<Long> address = symbols.findAddress(name, context);
            if (address.isEmpty() && ext.weak()) {
                loadZero(code, at);
                return;
            }
            code.setSourceRegister(at, 0);
            code.setImmediate64(at, address.orElseGet(() -> symbols.address(name, context)) + ext.offset());
        } else {
            Optional<Integer> id = symbols.findKernelVariable(name);
            if (id.isEmpty() && ext.weak()) {
                loadZero(code, at);
                return;
            }
            code.setSourceRegister(at, Opcodes.PSEUDO_BTF_ID);
            code.setImmediate(at, id.orElseGet(() -> symbols.kernelVariable(name, context)));
            code.setImmediate(at + 1, 0);
        }
    }

    /**
     * Makes {@code ld_imm64} of a {@code __weak} kernel symbol the kernel lacks load 0, as libbpf does, so that
     * {@code bpf_ksym_exists(sym)} and {@code &sym != NULL} read false and the verifier drops the guarded code.
     */
    private static void loadZero(Instructions code, int at) {
        code.setSourceRegister(at, 0);
        code.setImmediate64(at, 0);
    }

    /**
     * Turns a call of a {@code __weak} kernel function the kernel lacks into a call of a helper that does not
     * exist ({@link #POISONED_KFUNC_CALL}), as libbpf does: code guarded by {@code bpf_ksym_exists} is never
     * reached, and the verifier drops it; an unguarded call fails verification with that helper number.
     */
    private static void poisonCall(Instructions code, int at) {
        code.setSourceRegister(at, 0);
        code.setImmediate(at, POISONED_KFUNC_CALL);
        code.setOffset(at, (short) 0);
    }

    /** Whether the object declares {@code name} as {@code extern const void name __ksym}: only an address is wanted. */
    private boolean isTypeless(String name) {
        Optional<Btf> btf = spec.btf();
        if (btf.isEmpty()) {
            return true;
        }
        return btf.get().findAll(name).stream()
                .filter(BtfType.Var.class::isInstance)
                .map(BtfType.Var.class::cast)
                .findFirst()
                .map(v -> btf.get().resolve(v.typeId()) instanceof BtfType.Void)
                .orElse(true);
    }

    private static void pointIntoMap(Instructions code, int at, MapFd map, long offset) {
        if (offset < 0 || offset >= Math.max(map.valueSize(), 1)) {
            throw new ObjectFormatException("instruction " + at + " points " + offset + " bytes into map '"
                    + map.name() + "', whose value has " + map.valueSize() + " bytes");
        }
        code.setSourceRegister(at, Opcodes.PSEUDO_MAP_VALUE);
        code.setImmediate(at, map.fd().raw());
        code.setImmediate(at + 1, (int) offset);
    }

    private MapFd map(String name, PlacedRelocation placed) {
        MapFd map = maps.get(name);
        if (map == null) {
            throw new NotFoundException(context(placed) + " refers to map '" + name + "', which "
                    + spec.name() + " does not define", "relocate", Errno.ENOENT.number(), "map '" + name + "'",
                    "maps the object defines: " + maps.keySet());
        }
        return map;
    }

    private static void requireLoadImm64(Instructions code, PlacedRelocation placed, String what) {
        int at = placed.instruction();
        if (at + 1 >= code.count() || !code.isLoadImm64(at)) {
            throw new ObjectFormatException(String.format("%s refers to %s with opcode 0x%02x, not ld_imm64",
                    context(placed), what, code.opcode(at)));
        }
    }

    private static String context(PlacedRelocation placed) {
        return "function '" + placed.function() + "' at instruction " + placed.instruction();
    }
}
