package io.github.bpf2java.ebpf.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A kernel test that runs on the build machine's kernel and again in the test guest (Debian's Linux 6.1, see
 * {@link GuestKernel}), to show that what it tests works on both kernels. Keep such tests few and quick: the guest
 * runs under software emulation, many times slower than the host.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(AlsoInGuestKernel.TAG)
public @interface AlsoInGuestKernel {
    /** The JUnit tag the guest's run includes; the host's run keeps it as well. */
    String TAG = "also-guest-kernel";
}
