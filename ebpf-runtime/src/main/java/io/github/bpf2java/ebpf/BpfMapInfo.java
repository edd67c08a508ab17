package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.internal.bpf.FdInfo;
import io.github.bpf2java.ebpf.internal.bpf.MapInfo;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.MapType;
import java.util.Optional;

/**
 * What the kernel reports about a map ({@code struct bpf_map_info} and its fdinfo), as {@code bpftool map show}
 * prints it.
 *
 * @param id           the system-wide map id
 * @param name         the name as the kernel stored it (at most 15 characters)
 * @param type         the map type, when this runtime knows its number
 * @param keySize      bytes per key
 * @param valueSize    bytes per value
 * @param maxEntries   the capacity
 * @param flags        {@code map_flags}
 * @param btfId        the id of its BTF, 0 for none
 * @param memlockBytes the memory the kernel charges for it ({@code memlock} in fdinfo); -1 if unknown
 */
public record BpfMapInfo(int id, String name, Optional<MapType> type, int keySize, int valueSize, int maxEntries,
        int flags, int btfId, long memlockBytes) {

    static BpfMapInfo of(Fd fd) {
        MapInfo info = MapInfo.of(fd);
        return new BpfMapInfo(info.id(), info.name(), info.type(), info.keySize(), info.valueSize(),
                info.maxEntries(), info.flags(), info.btfId(), FdInfo.memlock(fd).orElse(-1));
    }
}
