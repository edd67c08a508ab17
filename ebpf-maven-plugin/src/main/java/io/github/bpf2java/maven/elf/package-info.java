/**
 * Reading the section header table of ELF files, for the steps that look into objects and kernels without the
 * runtime's internal ELF parser: {@code compile} (canonicalizing the BTF of built objects) and {@code check} (the
 * {@code .BTF} section of a kernel's {@code vmlinux}). A leaf: it depends on no other package of the plugin.
 */
package io.github.bpf2java.maven.elf;
