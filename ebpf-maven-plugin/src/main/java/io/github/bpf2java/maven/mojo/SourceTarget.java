package io.github.bpf2java.maven.mojo;

/**
 * One item of {@code <sourceTargets>}: the targets of the sources matching a pattern.
 *
 * <pre>{@code
 * <sourceTarget>
 *   <pattern>kprobe_*.c</pattern>
 *   <targets>amd64,arm64</targets>
 * </sourceTarget>
 * }</pre>
 */
public class SourceTarget {
    /** A glob relative to the source directory; without {@code /} it matches the file name in any directory. */
    String pattern;
    /** Target names separated by commas, as {@code <targets>}. */
    String targets;
}
