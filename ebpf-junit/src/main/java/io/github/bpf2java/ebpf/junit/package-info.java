/**
 * JUnit 5 support for testing BPF programs.
 *
 * <ul>
 *   <li>{@link io.github.bpf2java.ebpf.junit.BpfTest}: loads the generated class of the test (or a named one) before
 *       each test, injects it (or its {@code BpfObject}) as a parameter, and closes it afterwards;
 *       {@link io.github.bpf2java.ebpf.junit.BpfLoadOptions} marks a method giving the options to load it with.</li>
 *   <li>{@link io.github.bpf2java.ebpf.junit.RequiresKernel}, {@link io.github.bpf2java.ebpf.junit.RequiresProgramType},
 *       {@link io.github.bpf2java.ebpf.junit.RequiresCapability}, {@link io.github.bpf2java.ebpf.junit.RequiresTool}:
 *       what the machine must have. Unmet, they skip the test or class they are on (reported as skipped, with the
 *       reason); in strict mode (environment {@code EBPF_REQUIRE_KERNEL=1}, system property or JUnit configuration
 *       parameter {@code ebpf.requireKernel=true}) they fail it, so that CI on a capable machine cannot pass by
 *       skipping.</li>
 *   <li>{@link io.github.bpf2java.ebpf.junit.RestoresTracefs}: unmounts after a class the tracefs that attaching its
 *       tracepoints mounted, so tests leave the machine's mounts as they found them.</li>
 *   <li>{@link io.github.bpf2java.ebpf.junit.BpfAssertions}: assertions whose failures name XDP and tc verdicts and
 *       show packets as a hex diff.</li>
 * </ul>
 */
package io.github.bpf2java.ebpf.junit;
