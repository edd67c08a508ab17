package io.github.bpf2java.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * The C library's {@code syscall(2)} through a bare {@code java.lang.foreign} downcall, without the {@code errno}
 * capture the runtime adds: the floor for the runtime's JDK 22+ path, measured next to it as {@link BareJnaSyscall}
 * is for JDK 17. Looked up reflectively, since this module is compiled for Java 17 like the runtime; only usable on
 * JDK 22 and later ({@link #AVAILABLE}), where {@code run.sh} runs it.
 */
final class BareForeignSyscall {
    /** Whether the downcall could be bound: JDK 22 or later, with native access. */
    static final boolean AVAILABLE;
    // (long number, long a1, long a2, long a3) -> long
    private static final MethodHandle SYSCALL;

    static {
        MethodHandle handle = null;
        if (Runtime.version().feature() >= 22) {
            try {
                handle = bind();
            } catch (ReflectiveOperationException | RuntimeException e) {
                System.err.println("BareForeignSyscall: no java.lang.foreign downcall: " + e);
            }
        }
        SYSCALL = handle;
        AVAILABLE = handle != null;
    }

    private BareForeignSyscall() {}

    static long syscall(long number, long a1, long a2, long a3) {
        try {
            return (long) SYSCALL.invokeExact(number, a1, a2, a3);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("syscall(" + number + ") failed", e);
        }
    }

    private static MethodHandle bind() throws ReflectiveOperationException {
        Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
        Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
        Object linker = linkerType.getMethod("nativeLinker").invoke(null);
        Object libc = linkerType.getMethod("defaultLookup").invoke(linker);
        Object symbol = ((Optional<?>) Class.forName("java.lang.foreign.SymbolLookup").getMethod("find", String.class)
                .invoke(libc, "syscall")).orElseThrow();
        Object longLayout = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_LONG").get(null);
        Object arguments = Array.newInstance(layoutType, 4);
        for (int i = 0; i < 4; i++) {
            Array.set(arguments, i, longLayout);
        }
        Object descriptor = descriptorType.getMethod("of", layoutType, arguments.getClass())
                .invoke(null, longLayout, arguments);
        // syscall(2) is variadic after the number.
        Object options = Array.newInstance(optionType, 1);
        Array.set(options, 0, optionType.getMethod("firstVariadicArg", int.class).invoke(null, 1));
        return (MethodHandle) linkerType
                .getMethod("downcallHandle", Class.forName("java.lang.foreign.MemorySegment"), descriptorType,
                        options.getClass())
                .invoke(linker, symbol, descriptor, options);
    }
}
