package io.github.bpf2java.maven.compile;

/**
 * An integer {@code #define} of a C source or of a header of the project it includes, for a Java constant:
 * {@code #define MAX_ENTRIES 4096}.
 *
 * @param name  the macro name
 * @param value the value, bits as C has them (a {@code 0xffffffffffffffffULL} is -1)
 * @param fitsInt whether the constant is an {@code int} in Java: its value lies between {@link Integer#MIN_VALUE}
 *                and {@link Integer#MAX_VALUE} and the literal has no {@code L} suffix; else it is a {@code long}
 * @param text  the macro's replacement text as written, for the Javadoc
 * @param file  where it is defined, relative to the source directory with {@code /} separators: the source itself
 *              ({@code execsnoop.c}) or a header of the project it includes ({@code execsnoop.h})
 */
public record DefinedConstant(String name, long value, boolean fitsInt, String text, String file) {}
