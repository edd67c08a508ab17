package io.github.bpf2java.ebpf.internal.bpf;

import java.util.Optional;

/**
 * Input of {@code BPF_PROG_TEST_RUN}. What a program type accepts differs: XDP and tc programs take a packet in
 * {@code dataIn} (at least an Ethernet header), raw tracepoint and syscall programs a context in
 * {@code contextIn}.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param dataIn             {@code data_in}: the packet, if any
 * @param dataOutCapacity    room for {@code data_out}: the packet as the program left it; 0 for none
 * @param contextIn          {@code ctx_in}, if any
 * @param contextOutCapacity room for {@code ctx_out}; 0 for none
 * @param repeat             {@code repeat}: how many runs (0 and 1 both mean one)
 * @param flags              {@code flags}, e.g. {@code BPF_F_TEST_RUN_ON_CPU} (1)
 * @param cpu                {@code cpu}, with {@code BPF_F_TEST_RUN_ON_CPU}
 * @param batchSize          {@code batch_size} for XDP live-frame mode
 */
public record TestRunRequest(Optional<byte[]> dataIn, int dataOutCapacity, Optional<byte[]> contextIn,
        int contextOutCapacity, int repeat, int flags, int cpu, int batchSize) {

    public TestRunRequest {
        dataIn = dataIn.map(byte[]::clone);
        contextIn = contextIn.map(byte[]::clone);
        if (dataOutCapacity < 0 || contextOutCapacity < 0 || repeat < 0 || batchSize < 0) {
            throw new IllegalArgumentException("test run sizes and counts must not be negative");
        }
    }

    /** One run on {@code packet}, with room for the packet as the program leaves it. */
    public static TestRunRequest packet(byte[] packet) {
        return new TestRunRequest(Optional.of(packet), packet.length, Optional.empty(), 0, 1, 0, 0, 0);
    }

    /** One run with {@code context} as the program's context and no packet. */
    public static TestRunRequest context(byte[] context) {
        return new TestRunRequest(Optional.empty(), 0, Optional.of(context), 0, 1, 0, 0, 0);
    }

    /** The same input, run {@code times} times (for a mean duration). */
    public TestRunRequest repeated(int times) {
        return new TestRunRequest(dataIn, dataOutCapacity, contextIn, contextOutCapacity, times, flags, cpu,
                batchSize);
    }
}
