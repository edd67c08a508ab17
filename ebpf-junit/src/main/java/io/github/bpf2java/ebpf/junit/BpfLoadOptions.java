package io.github.bpf2java.ebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link BpfTest} class that returns how to load a generated class: its {@code Options}, as
 * {@code options()} makes them, with constants and map sizes set. Parameters of that class are then loaded with
 * {@code options.load()} instead of {@code load()}:
 *
 * <pre>{@code
 * @BpfTest
 * class OpensnoopTest {
 *     @BpfLoadOptions
 *     static Opensnoop.Options onlyThisProcess() {
 *         return Opensnoop.options().targPid((int) ProcessHandle.current().pid());
 *     }
 *
 *     @Test
 *     void seesItsOwnOpens(Opensnoop tool) { ... }
 * }
 * }</pre>
 *
 * The method takes no parameters and is found by what it returns, so one test class may have one for each
 * generated class it loads. It may be an instance method for parameters of test methods; for constructor and
 * {@code @BeforeAll} parameters, which are resolved before there is an instance, it must be static.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BpfLoadOptions {}
