package io.github.bpf2java.ebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test runs these programs, which must be executables on the {@code PATH}, e.g. {@code @RequiresTool("ip")} for
 * a test that makes a veth pair or {@code @RequiresTool("bash")} for one that probes bash. Unmet: skipped with the
 * reason, or failed in strict mode (see {@link io.github.bpf2java.ebpf.junit package documentation}).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(KernelRequirements.class)
public @interface RequiresTool {
    /** The programs' names, as a shell finds them on the {@code PATH}. */
    String[] value();
}
