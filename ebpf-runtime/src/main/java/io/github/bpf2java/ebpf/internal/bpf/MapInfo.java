package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import io.github.bpf2java.ebpf.spec.MapType;
import java.util.Optional;

/**
 * What the kernel reports about a map ({@code struct bpf_map_info}).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param typeValue             {@code type}, the raw {@code enum bpf_map_type} number
 * @param id                    the map's system-wide id
 * @param keySize               {@code key_size}
 * @param valueSize             {@code value_size}
 * @param maxEntries            {@code max_entries}
 * @param flags                 {@code map_flags}
 * @param name                  {@code name}, as the kernel stored it
 * @param ifindex               the offload device, 0 for none
 * @param btfVmlinuxValueTypeId {@code btf_vmlinux_value_type_id}
 * @param netnsDev              {@code netns_dev} of an offloaded map
 * @param netnsIno              {@code netns_ino} of an offloaded map
 * @param btfId                 the id of the map's BTF object, 0 for none
 * @param btfKeyTypeId          {@code btf_key_type_id}
 * @param btfValueTypeId        {@code btf_value_type_id}
 * @param mapExtra              {@code map_extra}
 */
public record MapInfo(int typeValue, int id, int keySize, int valueSize, int maxEntries, int flags, String name,
        int ifindex, int btfVmlinuxValueTypeId, long netnsDev, long netnsIno, int btfId, int btfKeyTypeId,
        int btfValueTypeId, long mapExtra) {

    /** The map type, if this runtime knows its number. */
    public Optional<MapType> type() {
        return MapType.of(typeValue);
    }

    public static MapInfo of(Fd fd) {
        try (NativeBuffer b = new NativeBuffer(AttrLayout.MapInfo.SIZE)) {
            ObjectInfo.fill(fd, b);
            return new MapInfo(b.getInt(AttrLayout.MapInfo.TYPE), b.getInt(AttrLayout.MapInfo.ID),
                    b.getInt(AttrLayout.MapInfo.KEY_SIZE), b.getInt(AttrLayout.MapInfo.VALUE_SIZE),
                    b.getInt(AttrLayout.MapInfo.MAX_ENTRIES), b.getInt(AttrLayout.MapInfo.MAP_FLAGS),
                    b.getCString(AttrLayout.MapInfo.NAME, ObjectName.FIELD_SIZE),
                    b.getInt(AttrLayout.MapInfo.IFINDEX), b.getInt(AttrLayout.MapInfo.BTF_VMLINUX_VALUE_TYPE_ID),
                    b.getLong(AttrLayout.MapInfo.NETNS_DEV), b.getLong(AttrLayout.MapInfo.NETNS_INO),
                    b.getInt(AttrLayout.MapInfo.BTF_ID), b.getInt(AttrLayout.MapInfo.BTF_KEY_TYPE_ID),
                    b.getInt(AttrLayout.MapInfo.BTF_VALUE_TYPE_ID), b.getLong(AttrLayout.MapInfo.MAP_EXTRA));
        }
    }
}
