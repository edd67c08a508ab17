package io.github.bpf2java.maven.mojo;

/**
 * One item of {@code <objects>}: an object linked from several C files.
 *
 * <pre>{@code
 * <object>
 *   <name>tracer</name>
 *   <sources>tracer/main.c,tracer/helpers.c</sources>
 * </object>
 * }</pre>
 */
public class LinkedObject {
    /** The object's name: {@code <name>_<target>.o} and the generated class. */
    String name;
    /** Paths or globs relative to the source directory, separated by commas, in link order. */
    String sources;
}
