package io.github.bpf2java.benchmarks;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.bpf2java.ebpf.BpfProgram;
import io.github.bpf2java.ebpf.internal.syscall.Architecture;

/**
 * Makes the kernel write a batch of records: one {@code BPF_PROG_TEST_RUN} of an {@code event_output.c} program with
 * {@code repeat} = the batch size, each run writing one record. The {@code bpf_attr} is prepared once and the call
 * goes through a bare JNA syscall, so filling allocates nothing on the Java heap and JMH's {@code -prof gc} sees only
 * what reading costs.
 */
final class KernelProducer implements AutoCloseable {
    private static final int BPF_PROG_TEST_RUN = 10;
    // union bpf_attr, test: prog_fd, retval, data_size_in, data_size_out, data_in, data_out, repeat, ... (76 bytes).
    private static final int ATTR_SIZE = 80;
    private static final int PACKET = 64;

    private final Memory attr = new Memory(ATTR_SIZE);
    private final Memory packet = new Memory(PACKET);
    private final long attrAddress = Pointer.nativeValue(attr);
    private final long bpfSyscall = Architecture.current().bpfSyscall();

    KernelProducer(BpfProgram program, int batch) {
        attr.clear();
        packet.clear();
        attr.setInt(0, program.fd());
        attr.setInt(8, PACKET);
        attr.setLong(16, Pointer.nativeValue(packet));
        attr.setInt(32, batch);
    }

    /** Runs the program {@code batch} times: {@code batch} new records. */
    void produce() {
        if (BareJnaSyscall.syscall(bpfSyscall, BPF_PROG_TEST_RUN, attrAddress, ATTR_SIZE) != 0) {
            throw new IllegalStateException("BPF_PROG_TEST_RUN failed, errno " + Native.getLastError());
        }
    }

    @Override
    public void close() {
        attr.close();
        packet.close();
    }
}
