package io.github.bpf2java.maven.check;

import io.github.bpf2java.ebpf.spec.ObjectSpec;

/**
 * An object {@code ebpf:generate} built, read once and checked against every kernel.
 *
 * @param name the object's path below the resource output directory, e.g. {@code com/example/ebpf/probe_bpfel.o}
 * @param spec what the object says, its CO-RE relocations included
 */
public record BuiltObject(String name, ObjectSpec spec) {}
