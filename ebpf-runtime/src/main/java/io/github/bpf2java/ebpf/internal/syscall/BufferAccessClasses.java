package io.github.bpf2java.ebpf.internal.syscall;

/**
 * Loads the JDK class that {@link java.nio.ByteBuffer}'s multi-byte accesses name in their signatures, so that
 * the JIT can inline those accesses into the first compilation of a hot loop.
 *
 * <p>Why: on JDK 17 {@code getInt}, {@code getLong} and the like go through {@code ScopedMemoryAccess} methods
 * whose parameters include {@code ScopedMemoryAccess.Scope}, an interface nothing loads early. C2 does not inline a
 * method whose signature names a class not loaded yet ("unloaded signature classes"), and the compiled loop keeps
 * those out-of-line calls for as long as it lives. Whether the class was loaded when C2 compiled the ring buffer
 * reader was a race between threads: measured against libbpf, some JVM runs read 64-byte records at 0.6 times
 * libbpf's rate and others at 0.35. Loading the class by name costs nothing later and takes the race away. Later
 * JDKs name classes that are loaded at start-up, and do not have this one: then there is nothing to do.
 */
final class BufferAccessClasses {
    private static final String SCOPE = "jdk.internal.misc.ScopedMemoryAccess$Scope";

    static {
        try {
            // Loading, not initialising, is what the JIT checks; the boot loader defines the class.
            Class.forName(SCOPE, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            // Not in this JDK: its buffer accesses name other classes.
        }
    }

    private BufferAccessClasses() {}

    /** Loads the class, once per JVM; later calls do nothing. */
    static void load() {
        // The static initialiser did the work.
    }
}
