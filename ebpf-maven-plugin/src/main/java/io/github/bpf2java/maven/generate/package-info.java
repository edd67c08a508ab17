/**
 * The orchestrator of {@code ebpf:generate}: {@link io.github.bpf2java.maven.generate.GenerateOrchestrator} runs
 * discovery, toolchain, up-to-date check, compile, class generation and commit for one
 * {@link io.github.bpf2java.maven.generate.GenerateRequest}, without Maven.
 */
package io.github.bpf2java.maven.generate;
