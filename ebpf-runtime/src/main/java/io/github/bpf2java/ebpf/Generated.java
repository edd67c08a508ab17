package io.github.bpf2java.ebpf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class written by bpf2java's code generator, not by hand. Kept in the class files ({@code CLASS}
 * retention) so that coverage tools such as JaCoCo, which skip classes annotated with an annotation named
 * {@code *Generated*}, leave generated code out of their reports; {@code javax.annotation.processing.Generated} is
 * only kept in sources.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Generated {

    /** What generated the class, e.g. {@code bpf2java ebpf-maven-plugin}. */
    String value();

    /** What it was generated from, e.g. the C source's path. */
    String from() default "";
}
