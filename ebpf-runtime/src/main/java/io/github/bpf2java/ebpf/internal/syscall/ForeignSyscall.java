package io.github.bpf2java.ebpf.internal.syscall;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * The C library's {@code syscall(number, a1, a2, a3)} bound through the JDK's foreign function API
 * ({@code java.lang.foreign}, final since JDK 22), for {@code bpf(2)}: there a call into native code costs some
 * 15 ns, against some 120 ns through JNA, whose dispatch converts the arguments twice through libffi. A map lookup,
 * about a microsecond in the kernel, is where that difference shows.
 *
 * <p>The runtime is compiled for Java 17, so the API is looked up reflectively, once, when this class is
 * initialised; a call is then one {@code invokeExact} of a constant method handle. Where the API is missing (JDK 21
 * and older), on 32-bit JVMs, when native access is denied, or with {@code -Dbpf2java.foreign=false},
 * {@link #AVAILABLE} is false and {@link Libc} calls through JNA as before.
 *
 * <p>The downcall captures {@code errno} itself, into a segment of the calling thread: the JVM may change
 * {@code errno} between native calls, so reading it afterwards would not be reliable.
 */
public final class ForeignSyscall {
    /** The system property that, set to {@code false}, keeps every call on JNA. */
    static final String PROPERTY = "bpf2java.foreign";
    private static final System.Logger LOG = System.getLogger(ForeignSyscall.class.getName());
    /** The first Java release whose foreign function API is final. */
    private static final int FIRST_RELEASE = 22;

    /** Whether {@link #syscall} may be called. */
    static final boolean AVAILABLE;
    // (Object state, long number, long a1, long a2, long a3) -> long; state is the thread's errno segment.
    private static final MethodHandle SYSCALL;
    // (Object state) -> int: the errno the last call left in state.
    private static final MethodHandle ERRNO;
    private static final ThreadLocal<Object> STATE;

    static {
        Binding binding = bind().orElse(null);
        AVAILABLE = binding != null;
        SYSCALL = binding == null ? null : binding.syscall();
        ERRNO = binding == null ? null : binding.errno();
        STATE = binding == null ? null : ThreadLocal.withInitial(binding::newState);
        if (AVAILABLE) {
            LOG.log(Level.DEBUG, "bpf(2) goes through java.lang.foreign; other system calls through JNA");
        }
    }

    private ForeignSyscall() {}

    /**
     * {@code syscall(number, a1, a2, a3)}: the result, or minus the errno. Only when {@link #AVAILABLE}.
     */
    static long syscall(long number, long a1, long a2, long a3) {
        Object state = STATE.get();
        try {
            long result = (long) SYSCALL.invokeExact(state, number, a1, a2, a3);
            return result != -1 ? result : Libc.failure((int) ERRNO.invokeExact(state));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            // A downcall throws nothing checked; this is here because invokeExact declares Throwable.
            throw new IllegalStateException("syscall(" + number + ") through java.lang.foreign failed", e);
        }
    }

    private static Optional<Binding> bind() {
        if (Runtime.version().feature() < FIRST_RELEASE || !Libc.is64Bit()
                || "false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Binding.create());
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Native access denied (IllegalCallerException), or an API that changed: JNA still works.
            LOG.log(Level.DEBUG, "bpf(2) goes through JNA: java.lang.foreign could not be bound", e);
            return Optional.empty();
        }
    }

    /** The method handles of one successful lookup, and how to make a thread's errno segment. */
    private record Binding(MethodHandle syscall, MethodHandle errno, Method arenaOfAuto, Method allocate,
            Object stateLayout) {

        static Binding create() throws ReflectiveOperationException {
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> pathElementType = Class.forName("java.lang.foreign.MemoryLayout$PathElement");
            Class<?> valueLayoutType = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> intLayoutType = Class.forName("java.lang.foreign.ValueLayout$OfInt");
            Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> allocatorType = Class.forName("java.lang.foreign.SegmentAllocator");
            Class<?> arenaType = Class.forName("java.lang.foreign.Arena");

            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object libc = linkerType.getMethod("defaultLookup").invoke(linker);
            Object symbol = ((Optional<?>) lookupType.getMethod("find", String.class).invoke(libc, "syscall"))
                    .orElseThrow(() -> new NoSuchMethodException("the C library has no syscall symbol"));

            Object longLayout = valueLayoutType.getField("JAVA_LONG").get(null);
            Object arguments = Array.newInstance(layoutType, 4);
            for (int i = 0; i < 4; i++) {
                Array.set(arguments, i, longLayout);
            }
            Object descriptor = descriptorType.getMethod("of", layoutType, arguments.getClass())
                    .invoke(null, longLayout, arguments);
            Object options = Array.newInstance(optionType, 2);
            // syscall(2) is variadic after the number; the linker then passes the rest as C's varargs rules say.
            Array.set(options, 0, optionType.getMethod("firstVariadicArg", int.class).invoke(null, 1));
            Array.set(options, 1, optionType.getMethod("captureCallState", String[].class)
                    .invoke(null, (Object) new String[] {"errno"}));
            MethodHandle downcall = (MethodHandle) linkerType
                    .getMethod("downcallHandle", segmentType, descriptorType, options.getClass())
                    .invoke(linker, symbol, descriptor, options);

            Object stateLayout = optionType.getMethod("captureStateLayout").invoke(null);
            Object errnoPath = Array.newInstance(pathElementType, 1);
            Array.set(errnoPath, 0, pathElementType.getMethod("groupElement", String.class).invoke(null, "errno"));
            long errnoOffset = (long) layoutType.getMethod("byteOffset", errnoPath.getClass())
                    .invoke(stateLayout, errnoPath);
            MethodHandle getInt = MethodHandles.publicLookup().findVirtual(segmentType, "get",
                    MethodType.methodType(int.class, intLayoutType, long.class));
            MethodHandle errno = MethodHandles.insertArguments(getInt, 1,
                    valueLayoutType.getField("JAVA_INT").get(null), errnoOffset);

            return new Binding(
                    downcall.asType(MethodType.methodType(long.class, Object.class, long.class, long.class,
                            long.class, long.class)),
                    errno.asType(MethodType.methodType(int.class, Object.class)),
                    arenaType.getMethod("ofAuto"),
                    allocatorType.getMethod("allocate", layoutType),
                    stateLayout);
        }

        /**
         * A new errno segment, in an arena of its own that the garbage collector frees with the segment (when its
         * thread is gone).
         */
        Object newState() {
            try {
                return allocate.invoke(arenaOfAuto.invoke(null), stateLayout);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot allocate the errno segment for java.lang.foreign calls", e);
            }
        }
    }
}
