package io.github.bpf2java.ebpf.internal.syscall;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Loads from memory the runtime has mapped, for the per-record loops of the event readers: the headers of ring
 * buffer records and perf samples. Callers pass the buffer over the mapping and the address of its first byte;
 * which of the two is read is fixed when this class is initialised, so the JIT keeps one path and drops the other.
 *
 * <p>On JDK 17 to 22 the load goes through {@code sun.misc.Unsafe}: a plain load. Through the buffer, each header
 * read also loads and tests the buffer's limit, address, scope and byte order; measured against libbpf, the ring
 * buffer reader ran at 0.6 times libbpf's rate that way and reaches 0.95 this way (see the runtime benchmarks'
 * README). From JDK 23 on, {@code Unsafe}'s memory access is deprecated for removal, JDK 24 warns when it is first
 * used and measured slower than the buffer, so the buffer is read there; so it is with
 * {@code -Dbpf2java.unsafe=false}.
 *
 * <p>{@code Unsafe} checks nothing: callers read only indices they have bounded by the mapping's size (a ring
 * position masked by the ring's size, a header inside the ring), and only while the mapping is in place.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class MappedLoads {
    /** The system property that, set to {@code false}, keeps every load on the buffer. */
    static final String PROPERTY = "bpf2java.unsafe";
    /** The first Java release where {@code Unsafe}'s memory access is deprecated for removal. */
    private static final int FIRST_DEPRECATED_RELEASE = 23;
    private static final System.Logger LOG = System.getLogger(MappedLoads.class.getName());
    // Unsafe's getInt(long) and getShort(long), bound to the instance; null when the buffers are read. Looked up
    // reflectively so that compiling names no proprietary API; as constants, the JIT inlines them to plain loads.
    private static final MethodHandle GET_INT;
    private static final MethodHandle GET_SHORT;

    static {
        MethodHandle[] loads = bind();
        GET_INT = loads == null ? null : loads[0];
        GET_SHORT = loads == null ? null : loads[1];
    }

    private MappedLoads() {}

    /** Whether loads go through {@code Unsafe}. */
    static boolean usesUnsafe() {
        return GET_INT != null;
    }

    /**
     * The {@code int} at {@code index}, in the host's byte order.
     *
     * @param buffer  the mapping, in the host's byte order
     * @param address the address of {@code buffer}'s first byte
     * @param index   a byte index the caller has bounded: {@code index + 4} is at most the buffer's capacity (a
     *                {@code long}, so that a position masked by a ring's size goes to the address without a round
     *                trip through {@code int}, which lengthened the ring buffer reader's critical path)
     */
    public static int getInt(ByteBuffer buffer, long address, long index) {
        if (GET_INT == null) {
            return buffer.getInt((int) index);
        }
        try {
            return (int) GET_INT.invokeExact(address + index);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /** The {@code short} at {@code index}, in the host's byte order; as {@link #getInt}. */
    public static short getShort(ByteBuffer buffer, long address, int index) {
        if (GET_SHORT == null) {
            return buffer.getShort(index);
        }
        try {
            return (short) GET_SHORT.invokeExact(address + index);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    private static RuntimeException failed(Throwable e) {
        // A load throws nothing checked; this is here because invokeExact declares Throwable.
        return e instanceof RuntimeException r ? r
                : new IllegalStateException("a load through sun.misc.Unsafe failed", e);
    }

    private static MethodHandle[] bind() {
        if (Runtime.version().feature() >= FIRST_DEPRECATED_RELEASE
                || "false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return null;
        }
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Object unsafe = field.get(null);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            return new MethodHandle[] {
                lookup.findVirtual(type, "getInt", MethodType.methodType(int.class, long.class)).bindTo(unsafe),
                lookup.findVirtual(type, "getShort", MethodType.methodType(short.class, long.class)).bindTo(unsafe)};
        } catch (ReflectiveOperationException | RuntimeException e) {
            // A JVM without it, or a security manager refusing: the buffers work everywhere.
            LOG.log(Level.DEBUG, "mapped memory is read through ByteBuffers: sun.misc.Unsafe is not available", e);
            return null;
        }
    }
}
