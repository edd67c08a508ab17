package io.github.bpf2java.ebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test needs Linux at least this release, e.g. {@code @RequiresKernel("5.15")}. Unmet: skipped with the reason, or
 * failed in strict mode (see {@link io.github.bpf2java.ebpf.junit package documentation}).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(KernelRequirements.class)
public @interface RequiresKernel {
    /** The least kernel release, {@code major.minor} or {@code major.minor.patch}. */
    String value();
}
