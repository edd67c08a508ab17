package io.github.bpf2java.ebpf.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that needs what the build machine's kernel may lack (kprobes, BPF trampolines for fentry, fexit, fmod_ret,
 * LSM and freplace, ...): it runs only in the test guest, Debian's Linux 6.1 that {@code .ci/guest/run-tests} boots
 * under qemu during {@code verify}, never in the host's surefire run, which excludes its tag. Inside the guest the
 * environment variable {@link #RELEASE_VARIABLE} holds the guest kernel's release. See docs/testing-kernels.md.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(GuestKernel.TAG)
public @interface GuestKernel {
    /** The JUnit tag: the guest runs it, the host's surefire run excludes it. */
    String TAG = "guest-kernel";
    /** The environment variable the guest sets to its kernel release, e.g. {@code 6.1.0-54-amd64}. */
    String RELEASE_VARIABLE = "EBPF_GUEST_KERNEL";
}
