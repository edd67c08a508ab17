package io.github.bpf2java.ebpf;

/**
 * A global variable of a loaded object, read and written through its data map ({@code .data}, {@code .bss};
 * {@code .rodata} is frozen and only readable after load).
 */
public final class GlobalVariable {
    // TODO(loader helper): implement.

    private GlobalVariable() {}

    public String name() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public int size() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The variable's current bytes, in host byte order. */
    public byte[] get() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Writes the variable; {@code value} must be exactly {@link #size()} bytes. */
    public void set(byte[] value) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
