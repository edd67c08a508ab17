package io.github.bpf2java.ebpf.internal.probe;

import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the running kernel supports, as the loader consults it: each question is asked of the kernel once per process
 * and the answer kept (a failed question, e.g. for lack of privileges, is asked again next time).
 *
 * <p>Tests of the loader's adaptations to older kernels turn features off for the current thread with
 * {@link #forceOff}: the loader then takes the path it takes on a kernel without them, and the real kernel loads
 * the result.
 */
public final class KernelFeatures {
    private static final Map<KernelFeature, Boolean> FEATURES = new ConcurrentHashMap<>();
    private static final Map<MapType, Boolean> MAP_TYPES = new ConcurrentHashMap<>();
    private static final Map<ProgramType, Boolean> PROGRAM_TYPES = new ConcurrentHashMap<>();
    private static final Map<Long, Boolean> HELPERS = new ConcurrentHashMap<>();
    private static final Map<List<Enum<?>>, Boolean> ATTACH_TYPES = new ConcurrentHashMap<>();
    private static final ThreadLocal<Set<KernelFeature>> FORCED_OFF =
            ThreadLocal.withInitial(() -> EnumSet.noneOf(KernelFeature.class));

    private KernelFeatures() {}

    /**
     * Whether the kernel has {@code feature} (and, for the BTF kinds, BTF at all).
     *
     * @throws PermissionException when this process may not ask (no CAP_BPF / CAP_SYS_ADMIN)
     */
    public static boolean has(KernelFeature feature) {
        if (FORCED_OFF.get().contains(feature)) {
            return false;
        }
        boolean btfKind = feature.name().startsWith("BTF");
        if (btfKind && feature != KernelFeature.BTF && !has(KernelFeature.BTF)) {
            return false;
        }
        return cached(FEATURES, feature, f -> btfKind ? BtfProbes.accepts(f) : CapabilityProbes.has(f));
    }

    /** Whether a map of {@code type} can be created. */
    public static boolean hasMapType(MapType type) {
        return cached(MAP_TYPES, type, TypeProbes::hasMapType);
    }

    /** Whether a trivial program of {@code type} loads; false for types that load only against a target. */
    public static boolean hasProgramType(ProgramType type) {
        return cached(PROGRAM_TYPES, type, TypeProbes::hasProgramType);
    }

    /** Whether programs of {@code type} may call helper number {@code helper}. */
    public static boolean hasHelper(ProgramType type, int helper) {
        long key = (long) type.ordinal() << 32 | Integer.toUnsignedLong(helper);
        return cached(HELPERS, key, k -> TypeProbes.hasHelper(type, helper));
    }

    /** Whether programs of {@code type} load for {@code attachType}; see {@link TypeProbes#hasAttachType}. */
    public static boolean hasAttachType(ProgramType type, AttachType attachType) {
        return cached(ATTACH_TYPES, List.of(type, attachType), k -> TypeProbes.hasAttachType(type, attachType));
    }

    private static <K> boolean cached(Map<K, Boolean> answers, K question, Function<K, Boolean> probe) {
        Boolean known = answers.get(question);
        if (known != null) {
            return known;
        }
        // Not computeIfAbsent: a probe makes system calls, and two threads asking at once merely ask twice.
        boolean answer = probe.apply(question);
        answers.put(question, answer);
        return answer;
    }

    /**
     * Makes {@link #has} answer false for {@code features} on the current thread until the returned handle is
     * closed, so that a test sees what the loader does on a kernel without them.
     */
    public static Forced forceOff(KernelFeature... features) {
        Set<KernelFeature> before = EnumSet.copyOf(FORCED_OFF.get());
        FORCED_OFF.get().addAll(Arrays.asList(features));
        return () -> FORCED_OFF.set(before);
    }

    /** Features turned off for a test; closing turns them back on. */
    @FunctionalInterface
    public interface Forced extends AutoCloseable {
        @Override
        void close();
    }
}
