/**
 * What every step of the build shares: {@link io.github.bpf2java.maven.build.BuildLog}, where it reports, and
 * {@link io.github.bpf2java.maven.build.EbpfBuildException}, the error for problems the user can fix. A leaf: it
 * imports nothing of the plugin, so every other package may use it without forming a cycle.
 */
package io.github.bpf2java.maven.build;
