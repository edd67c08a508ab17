package io.github.bpf2java.ebpf.junit;

import io.github.bpf2java.ebpf.spec.ProgramType;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test needs the kernel to load programs of these types, found by loading a trivial one
 * ({@link io.github.bpf2java.ebpf.BpfFeatures#supports}). Without permission to load programs at all, the
 * requirement is unmet too. Unmet: skipped with the reason, or failed in strict mode.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(KernelRequirements.class)
public @interface RequiresProgramType {
    /** The program types. */
    ProgramType[] value();
}
