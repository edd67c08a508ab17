package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.bpf.MapFlag;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.probe.KernelFeature;
import io.github.bpf2java.ebpf.internal.probe.KernelFeatures;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * How the loader meets a kernel older than the object, as libbpf does: what the kernel lacks is left out where the
 * object works without it (BTF, func and line info, memory-mapped data maps), and refused with the feature and the
 * release that brought it where it does not (global data, struct_ops and CO-RE without BTF).
 */
final class KernelAdaptation {
    private static final System.Logger LOG = System.getLogger(KernelAdaptation.class.getName());

    private KernelAdaptation() {}

    /** The object's BTF as the kernel takes it, or empty when the object has none or the kernel takes none. */
    static Optional<Btf> objectBtf(ObjectSpec spec) {
        if (spec.btf().isEmpty()) {
            return Optional.empty();
        }
        if (!kernelHas(KernelFeature.BTF)) {
            LOG.log(Level.INFO, () -> "kernel " + KernelVersion.running().release() + " takes no BTF: loading "
                    + spec.name() + " without it (verifier logs show no source lines; maps carry no types)");
            return Optional.empty();
        }
        return Optional.of(BtfSanitizer.forKernel(spec.btf().get(), KernelAdaptation::kernelHas));
    }

    /**
     * Whether the kernel has {@code feature}; assumed so when this process may not even ask, so that the load itself
     * fails with the error that names the object and the privilege it lacks.
     */
    static boolean kernelHas(KernelFeature feature) {
        try {
            return KernelFeatures.has(feature);
        } catch (PermissionException cannotAsk) {
            return true;
        }
    }

    /** Whether programs get their func and line info: only where the kernel knows BTF functions. */
    static boolean takesFuncInfo() {
        return kernelHas(KernelFeature.BTF_FUNC);
    }

    /** {@code flags} for {@code map}, without {@code BPF_F_MMAPABLE} for a data map the kernel cannot map. */
    static int mapFlags(MapSpec map, int flags, boolean givenByCaller) {
        int mmapable = MapFlag.MMAPABLE.value();
        if (!holdsGlobals(map) || givenByCaller || (flags & mmapable) == 0
                || kernelHas(KernelFeature.MMAPABLE_MAPS)) {
            return flags;
        }
        // Its globals are then read through lookups, and GlobalVariable refuses writes rather than rewriting the
        // whole section over what programs wrote.
        LOG.log(Level.DEBUG, () -> "kernel maps no arrays: data map '" + map.name() + "' created without "
                + "BPF_F_MMAPABLE");
        return flags & ~mmapable;
    }

    /** Refuses a data map on a kernel without global data, before anything is created for it. */
    static void checkGlobalData(MapSpec map, String objectName) {
        if (holdsGlobals(map) && !kernelHas(KernelFeature.GLOBAL_DATA)) {
            throw missing(KernelFeature.GLOBAL_DATA, "map '" + map.name() + "' of " + objectName + " holds global "
                    + "variables", "make them #define constants, or keep them in an array map the program looks "
                    + "up (bpf_map_lookup_elem), as programs for older kernels do");
        }
    }

    /** Whether programs address {@code map}'s value directly: {@code .data}, {@code .bss}, {@code .kconfig}... */
    private static boolean holdsGlobals(MapSpec map) {
        return map.isGlobalData() || map.kind() == MapSpec.MapKind.KCONFIG;
    }

    /** Refuses what needs the kernel to take BTF when it takes none. */
    static void checkBtf(Optional<Btf> kernelBtf, ObjectSpec spec, String what) {
        if (kernelBtf.isEmpty() && spec.btf().isPresent()) {
            throw missing(KernelFeature.BTF, what + " of " + spec.name() + " needs the kernel to take the object's "
                    + "BTF", "load it on a kernel with BTF (CONFIG_DEBUG_INFO_BTF), or leave it out with "
                    + "LoadOptions.builder().programs(...)");
        }
    }

    /** The error for {@code what} needing {@code feature}, which this kernel lacks. */
    static NotSupportedException missing(KernelFeature feature, String what, String hint) {
        return new NotSupportedException(what + ", which needs " + feature.description() + " (Linux "
                + feature.since() + "); kernel " + KernelVersion.running().release() + " has none",
                "probe " + feature.name(), Errno.EOPNOTSUPP.number(), what, hint);
    }
}
