package io.github.bpf2java.ebpf.internal.syscall;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.github.bpf2java.ebpf.error.BpfException;
import java.io.Closeable;

/**
 * Whether JNA, through which the runtime makes its C library calls, could load its native part, and if not, why, in
 * words an operator can act on. JNA unpacks {@code libjnidispatch.so} from its jar into a writable directory when its
 * class is first initialised; in a container with a read-only root file system, or on JDK 22+ with native access
 * denied, that fails with an {@link Error} no application catches as a {@code BpfException}. So the failure is caught
 * here once, and every native call the runtime makes first asks {@link #require()}, which throws a
 * {@code BpfException} with the way out each time (the check itself is a constant the JIT folds away).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class NativeAccess {
    /**
     * The oldest JNA the runtime works with (it closes {@code Memory}, which JNA 5.12 made closeable) and CI runs
     * it on; {@code ebpf-runtime} itself depends on a newer one.
     */
    static final String OLDEST_JNA = "5.13.0";
    // JNA's failure, or null when it loaded; and the word size it reports.
    private static final Throwable FAILURE;
    private static final BpfException TOO_OLD;
    private static final boolean WORD64;

    static {
        Throwable failure = null;
        BpfException tooOld = null;
        boolean word64 = false;
        try {
            // Native's static initialiser extracts and loads libjnidispatch.
            word64 = Native.POINTER_SIZE == 8 && Native.LONG_SIZE == 8;
            // What the runtime needs of a newer JNA, tested as such: Memory being closeable (JNA 5.12).
            if (!Closeable.class.isAssignableFrom(Memory.class)) {
                tooOld = tooOld(jnaVersion());
            }
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError (no writable directory, a foreign libjnidispatch), ExceptionInInitializerError
            // around IllegalCallerException (native access denied), NoClassDefFoundError (no JNA on the class path).
            failure = e;
        }
        FAILURE = failure;
        TOO_OLD = tooOld;
        WORD64 = word64;
    }

    private NativeAccess() {}

    /** Whether C {@code long} and pointers are 64 bits wide; false when JNA did not load. */
    static boolean word64() {
        return WORD64;
    }

    /**
     * Returns when JNA is usable.
     *
     * @throws BpfException when it is not: why, and what to change
     */
    public static void require() {
        if (FAILURE != null) {
            throw failure(FAILURE);
        }
        if (TOO_OLD != null) {
            throw new BpfException(TOO_OLD.getMessage().lines().findFirst().orElse(""), TOO_OLD.hint().orElse(null),
                    null);
        }
    }

    /**
     * The JNA release on the class path, as its manifest says ({@code 5.8.0 (b0)}), for messages. Not
     * {@code Native.VERSION}: a compile-time constant, which javac copies into this class.
     */
    private static String jnaVersion() {
        String version = Native.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "older than " + OLDEST_JNA : version.split(" ")[0];
    }

    /** The refusal of JNA {@code version}, older than {@link #OLDEST_JNA}. */
    static BpfException tooOld(String version) {
        return new BpfException("JNA " + version + " is on the class path; this runtime needs JNA " + OLDEST_JNA
                + " or newer", "a dependency or a BOM chose the older one: manage net.java.dev.jna:jna at "
                + OLDEST_JNA + " or newer (ebpf-runtime depends on a newer one; the libraries that use JNA work "
                + "with newer 5.x releases)", null);
    }

    static BpfException failure(Throwable cause) {
        Throwable denied = find(cause, IllegalCallerException.class);
        if (denied != null) {
            return new BpfException("native access is denied to JNA, which this runtime makes its system calls "
                    + "through: " + denied.getMessage(), "allow it: java --enable-native-access=ALL-UNNAMED on the "
                    + "class path (or =io.github.bpf2java.ebpf,com.sun.jna on the module path), or "
                    + "'Enable-Native-Access: ALL-UNNAMED' in an executable jar's manifest", cause);
        }
        if (cause instanceof NoClassDefFoundError && !String.valueOf(cause.getMessage()).contains("initialize")) {
            return new BpfException("JNA (net.java.dev.jna:jna), which this runtime makes its system calls through,"
                    + " is not on the class path: " + cause, "add it: it is a dependency of ebpf-runtime, so a "
                    + "build that packs dependencies (shade, assembly, Spring Boot) should include it", cause);
        }
        return new BpfException("JNA, which this runtime makes its system calls through, cannot load its native "
                + "library (libjnidispatch.so): " + cause, "JNA unpacks it into ~/.cache/JNA or java.io.tmpdir, one "
                + "of which must be writable and not mounted noexec; in a container with a read-only root file "
                + "system give it a writable directory: java -Djna.tmpdir=/path/to/writable/dir (e.g. an emptyDir "
                + "volume)", cause);
    }

    private static Throwable find(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }
}
