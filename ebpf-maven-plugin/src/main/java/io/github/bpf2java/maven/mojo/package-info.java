/**
 * The Maven adapter: {@link io.github.bpf2java.maven.mojo.GenerateMojo} reads the parameters, builds one
 * {@link io.github.bpf2java.maven.generate.GenerateRequest} and hands it to the orchestrator;
 * {@link io.github.bpf2java.maven.mojo.CheckMojo} does the same for {@code ebpf:check}. The only package that knows
 * Maven; nothing in the plugin depends on it.
 */
package io.github.bpf2java.maven.mojo;
