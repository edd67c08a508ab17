package io.github.bpf2java.ebpf;

/**
 * An attachment of a program to a hook. Closing it detaches the program. Closing twice is harmless.
 */
public interface BpfLink extends AutoCloseable {

    /** What the program is attached to, for logs, e.g. {@code tracepoint syscalls/sys_enter_execve}. */
    String description();

    /** Detaches. */
    @Override
    void close();
}
