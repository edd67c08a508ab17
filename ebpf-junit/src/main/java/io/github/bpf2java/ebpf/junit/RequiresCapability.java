package io.github.bpf2java.ebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test needs the process to hold these capabilities (effective set, {@code CapEff} in
 * {@code /proc/self/status}). Unmet: skipped with the reason, or failed in strict mode.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(KernelRequirements.class)
public @interface RequiresCapability {
    /** The capabilities. */
    Capability[] value();
}
