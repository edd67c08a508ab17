package io.github.bpf2java.ebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Leaves the machine's tracefs mounts as the test class found them. Attaching a tracepoint program, or opening the
 * trace pipe, mounts tracefs at {@code /sys/kernel/tracing} where no tracefs is mounted, and that mount outlives the
 * JVM; on a CI machine or a developer's workstation a test should not leave it behind. After the class's tests,
 * every tracefs mount point that was not there before them is unmounted (a failure to unmount fails the class,
 * naming the mount point); mounts that were there are left alone.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(TracefsRestorer.class)
public @interface RestoresTracefs {}
