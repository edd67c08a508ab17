package io.github.bpf2java.ebpf.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Linux capabilities BPF work needs, with their bit numbers from {@code linux/capability.h}. */
public enum Capability {
    /** {@code CAP_DAC_READ_SEARCH}: reading tracefs where it is mode 0700, to attach tracepoints without root. */
    DAC_READ_SEARCH(2),
    /** {@code CAP_NET_ADMIN}: XDP and tc attachment, network namespaces. */
    NET_ADMIN(12),
    /** {@code CAP_SYS_ADMIN}: everything before CAP_BPF, statistics, some map types. */
    SYS_ADMIN(21),
    /** {@code CAP_SYS_RESOURCE}: raising RLIMIT_MEMLOCK on old kernels. */
    SYS_RESOURCE(24),
    /** {@code CAP_PERFMON} (5.8+): tracing programs, perf events. */
    PERFMON(38),
    /** {@code CAP_BPF} (5.8+): loading programs and creating maps. */
    BPF(39);

    private final int bit;

    Capability(int bit) {
        this.bit = bit;
    }

    /** The capability's number. */
    public int bit() {
        return bit;
    }

    /** Whether this process holds it now (effective set); false off Linux. */
    public boolean held() {
        OptionalLong effective = effectiveSet();
        return effective.isPresent() && (effective.getAsLong() & (1L << bit)) != 0;
    }

    /** {@code CapEff} of {@code /proc/self/status}, if readable. */
    static OptionalLong effectiveSet() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return OptionalLong.of(Long.parseUnsignedLong(line.substring(7).trim(), 16));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or no procfs: nothing is held as far as we can tell
        }
        return OptionalLong.empty();
    }
}
