package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.internal.bpf.FdInfo;
import io.github.bpf2java.ebpf.internal.bpf.ProgramInfo;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.util.List;
import java.util.Optional;

/**
 * What the kernel reports about a loaded program ({@code struct bpf_prog_info} and its fdinfo), as
 * {@code bpftool prog show} prints it.
 *
 * @param id                   the system-wide program id
 * @param name                 the name as the kernel stored it (at most 15 characters)
 * @param type                 the program type, when this runtime knows its number
 * @param tag                  the hash of the instructions, 16 hex digits
 * @param translatedBytes      {@code xlated_prog_len}: the size of the instructions after the verifier's rewrites
 * @param jitedBytes           {@code jited_prog_len}: the size of the JIT-compiled code (0 if not JITed or hidden)
 * @param verifiedInstructions {@code verified_insns}: how many instructions the verifier processed (5.16+; 0 before)
 * @param loadTimeNs           when it was loaded, nanoseconds since boot
 * @param mapIds               the ids of the maps it uses
 * @param btfId                the id of its BTF, 0 for none
 * @param memlockBytes         the memory the kernel charges for it ({@code memlock} in fdinfo); -1 if unknown
 * @param stats                its run statistics (zero unless {@link BpfStats#enable()} is on)
 */
public record BpfProgramInfo(int id, String name, Optional<ProgramType> type, String tag, int translatedBytes,
        int jitedBytes, int verifiedInstructions, long loadTimeNs, List<Integer> mapIds, int btfId,
        long memlockBytes, BpfProgramStats stats) {

    public BpfProgramInfo {
        mapIds = List.copyOf(mapIds);
    }

    static BpfProgramInfo of(Fd fd) {
        ProgramInfo info = ProgramInfo.of(fd);
        return new BpfProgramInfo(info.id(), info.name(), info.type(), info.tag(), info.xlatedLength(),
                info.jitedLength(), info.verifiedInsns(), info.loadTimeNs(), info.mapIds(), info.btfId(),
                FdInfo.memlock(fd).orElse(-1), BpfProgramStats.of(info));
    }
}
