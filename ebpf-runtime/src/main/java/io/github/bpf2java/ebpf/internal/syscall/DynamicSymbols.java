package io.github.bpf2java.ebpf.internal.syscall;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.OptionalLong;

/**
 * Symbols as this process's dynamic linker resolves them ({@code dlsym}), for a shared library it has loaded.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class DynamicSymbols {
    private DynamicSymbols() {}

    /**
     * Where {@code symbol} of the library at {@code path} is in this process; for an indirect function, where the
     * implementation its resolver chooses is (dlsym runs the resolver). Empty when the library or the symbol cannot
     * be found. Loads the library when this process has not: callers ask only of libraries it has loaded.
     */
    public static OptionalLong address(String path, String symbol) {
        NativeAccess.require();
        try {
            return OptionalLong.of(Pointer.nativeValue(NativeLibrary.getInstance(path).getFunction(symbol)));
        } catch (UnsatisfiedLinkError notFound) {
            return OptionalLong.empty();
        }
    }
}
