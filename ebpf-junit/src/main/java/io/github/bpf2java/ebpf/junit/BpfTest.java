package io.github.bpf2java.ebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class of a generated BPF object class (what {@code ebpf:generate} writes: a class with a static
 * {@code load()}, an {@code object()} and {@code close()}). Before each test that asks for it as a parameter, the
 * object is loaded; after the test it is closed, detaching everything it attached:
 *
 * <pre>{@code
 * @BpfTest
 * class XdpFilterTest {                       // loads XdpFilter, found by dropping "Test" from the name
 *     @Test
 *     void dropsBlockedPort(XdpFilter filter) {  // or a BpfObject parameter
 *         TestRunResult r = filter.xdpDropUdpPort().testRun(TestRun.ofData(frame));
 *         BpfAssertions.assertXdpAction(Verdicts.XDP_DROP, r);
 *     }
 * }
 * }</pre>
 *
 * A parameter of any type that looks generated (public static no-argument {@code load()} returning it, and
 * {@code AutoCloseable}) is loaded the same way, whatever {@link #value()} says.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(BpfExtension.class)
public @interface BpfTest {
    /**
     * The generated class to load; by default the test class's name without its {@code Test}, {@code Tests} or
     * {@code IT} suffix, in the same package.
     */
    Class<?> value() default void.class;
}
