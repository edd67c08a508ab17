package io.github.bpf2java.ebpf.internal.bpf;

/**
 * Output of {@code BPF_PROG_TEST_RUN}.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param returnValue    {@code retval}: what the program returned (of the last run)
 * @param meanDurationNs {@code duration}: the mean time of one run, in nanoseconds
 * @param dataOut        the packet as the program left it (empty when no capacity was asked for)
 * @param contextOut     the context as the program left it (empty when no capacity was asked for)
 */
public record TestRunResult(int returnValue, long meanDurationNs, byte[] dataOut, byte[] contextOut) {}
