package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.spec.MapSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How one struct_ops variable of an object meets the running kernel's structure: the kernel's
 * {@code struct <name>} (e.g. {@code tcp_congestion_ops}) and the value type of its struct_ops maps,
 * {@code struct bpf_struct_ops_<name>}, whose {@code data} member holds the structure. Member by member, by name:
 * the object's data members (a name, flags) are copied to the kernel's offsets, and its function pointers become
 * slots for the descriptors of the programs that implement them, which each program is loaded against (the
 * structure's BTF id and the member's index). Computed from the spec and the kernel's BTF; nothing is created.
 *
 * @param mapName          the struct_ops map (the C variable)
 * @param structName       the structure's name, e.g. {@code tcp_congestion_ops}
 * @param kernelStructId   the kernel's BTF id of the structure: each program's {@code attach_btf_id}
 * @param valueTypeId      the kernel's BTF id of {@code bpf_struct_ops_<name>}: the map's
 *                         {@code btf_vmlinux_value_type_id}
 * @param template         the map's value with the data members filled and the program slots zero
 * @param programSlots     where each program's descriptor goes in the value: offset to program name
 * @param memberIndexes    the index in the kernel structure of the member each program implements
 * @param registeredByLink whether the map is in {@code .struct_ops.link}, so created with {@code BPF_F_LINK} and
 *                         registered by a link
 */
public record StructOpsLayout(String mapName, String structName, int kernelStructId, int valueTypeId,
        byte[] template, Map<Integer, String> programSlots, Map<String, Integer> memberIndexes,
        boolean registeredByLink) {

    private static final String LINK_SECTION = ".struct_ops.link";
    private static final String VALUE_PREFIX = "bpf_struct_ops_";

    public StructOpsLayout {
        template = template.clone();
        programSlots = Collections.unmodifiableMap(new LinkedHashMap<>(programSlots));
        memberIndexes = Collections.unmodifiableMap(new LinkedHashMap<>(memberIndexes));
    }

    @Override
    public byte[] template() {
        return template.clone();
    }

    /**
     * Lays out {@code map} (a {@link MapSpec.MapKind#STRUCT_OPS} map of an object with BTF {@code local}) against the
     * kernel's BTF.
     *
     * @throws NotFoundException when the kernel has no such structure or no member the object sets
     * @throws BpfException      when a member's size differs between the object and the kernel
     */
    public static StructOpsLayout of(String objectName, MapSpec map, Btf local, Btf kernel) {
        String what = "struct_ops map '" + map.name() + "' of " + objectName;
        if (!(local.resolve(map.valueTypeId()) instanceof BtfType.Struct own) || own.name().isEmpty()) {
            throw new BpfException(what + " is not a named structure", "declare it as e.g. SEC(\".struct_ops.link\") "
                    + "struct tcp_congestion_ops name = { ... }", null);
        }
        BtfType.Struct theirs = kernel.find(own.name(), BtfType.Struct.class).orElseThrow(() ->
                new NotFoundException(what + ": the running kernel has no struct " + own.name(), "find struct_ops "
                        + "type", Errno.ENOENT.number(), "kernel BTF struct " + own.name(), "struct_ops types this "
                        + "kernel has: " + registeredTypes(kernel) + " (types of kernel modules are not supported)"));
        BtfType.Struct value = kernel.find(VALUE_PREFIX + own.name(), BtfType.Struct.class).orElseThrow(() ->
                new NotSupportedException(what + ": struct " + own.name() + " is not a struct_ops type of this "
                        + "kernel (it has no " + VALUE_PREFIX + own.name() + ")", "find struct_ops type",
                        Errno.EOPNOTSUPP.number(), "kernel BTF struct " + VALUE_PREFIX + own.name(),
                        "struct_ops types this kernel has: " + registeredTypes(kernel)));
        BtfType.Member data = value.members().stream().filter(m -> m.name().equals("data")).findFirst()
                .orElseThrow(() -> new BpfException(what + ": the kernel's " + value.name() + " has no 'data' "
                        + "member; this kernel's struct_ops layout is unknown to bpf2java", null, null));
        int dataOffset = (int) (data.bitOffset() / 8);
        // Bytes the object does not hold (an all-zero section) are zeros.
        byte[] contents = Arrays.copyOf(map.contents(), Math.max(map.contents().length, own.size()));
        Map<Integer, String> functionsByLocalOffset = map.initialSlots().stream()
                .collect(Collectors.toMap(MapSpec.InitialSlot::index, MapSpec.InitialSlot::targetName));
        byte[] template = new byte[(int) kernel.sizeOf(value.id())];
        Map<Integer, String> slots = new LinkedHashMap<>();
        Map<String, Integer> indexes = new LinkedHashMap<>();
        for (BtfType.Member member : own.members()) {
            if (member.bitfieldSize() != 0 || member.bitOffset() % 8 != 0) {
                throw new BpfException(what + ": member " + member.name() + " is a bit field, which bpf2java "
                        + "cannot copy into the kernel's structure", null, null);
            }
            int localOffset = (int) (member.bitOffset() / 8);
            int localSize = (int) local.sizeOf(member.typeId());
            String program = functionsByLocalOffset.get(localOffset);
            int index = indexOf(theirs, member.name());
            if (index < 0) {
                if (program == null && isZero(contents, localOffset, localSize)) {
                    continue; // Set nowhere in the object: a member an older kernel lacks is fine.
                }
                throw new NotFoundException(what + " sets member '" + member.name() + "', which struct "
                        + theirs.name() + " of the running kernel does not have", "match struct_ops members",
                        Errno.ENOENT.number(), "struct " + theirs.name(), "leave it unset, or run on a kernel that "
                                + "has it; its members: " + theirs.members().stream().map(BtfType.Member::name)
                                .toList());
            }
            BtfType.Member kernelMember = theirs.members().get(index);
            int kernelOffset = dataOffset + (int) (kernelMember.bitOffset() / 8);
            if (isFunctionPointer(local, member.typeId())) {
                if (program != null) {
                    if (!isFunctionPointer(kernel, kernelMember.typeId())) {
                        throw new BpfException(what + ": member '" + member.name() + "' is a function pointer in "
                                + "the object but not in the kernel's struct " + theirs.name(), null, null);
                    }
                    slots.put(kernelOffset, program);
                    Integer earlier = indexes.put(program, index);
                    if (earlier != null && earlier != index) {
                        throw new BpfException(what + ": program '" + program + "' implements two members, "
                                + "which the kernel does not allow (it is loaded for one)", null, null);
                    }
                }
                continue;
            }
            int kernelSize = (int) kernel.sizeOf(kernelMember.typeId());
            if (kernelSize != localSize) {
                throw new BpfException(what + ": member '" + member.name() + "' has " + localSize + " bytes in the "
                        + "object but " + kernelSize + " in the running kernel's struct " + theirs.name(),
                        "regenerate vmlinux.h from this kernel, or leave the member unset", null);
            }
            System.arraycopy(contents, localOffset, template, kernelOffset, localSize);
        }
        return new StructOpsLayout(map.name(), own.name(), theirs.id(), value.id(), template, slots, indexes,
                map.sectionName().equals(LINK_SECTION));
    }

    private static int indexOf(BtfType.Struct struct, String member) {
        List<BtfType.Member> members = struct.members();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).name().equals(member)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isFunctionPointer(Btf btf, int typeId) {
        return btf.resolve(typeId) instanceof BtfType.Pointer p && btf.resolve(p.targetId()) instanceof BtfType.FuncProto;
    }

    private static boolean isZero(byte[] bytes, int from, int length) {
        int end = Math.min(bytes.length, from + length);
        for (int i = from; i < end; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The struct_ops types the kernel registers, by their value types' names. */
    private static List<String> registeredTypes(Btf kernel) {
        // A registered type's value struct is { common; struct <name> data; }; other bpf_struct_ops_* are internals.
        return kernel.types().stream()
                .filter(t -> t instanceof BtfType.Struct && t.name().startsWith(VALUE_PREFIX))
                .map(t -> (BtfType.Struct) t)
                .filter(v -> v.members().size() == 2 && v.members().get(1).name().equals("data")
                        && kernel.resolve(v.members().get(1).typeId()) instanceof BtfType.Struct s
                        && v.name().equals(VALUE_PREFIX + s.name()))
                .map(v -> v.name().substring(VALUE_PREFIX.length()))
                .sorted()
                .toList();
    }

    @Override
    public String toString() {
        return "StructOpsLayout[" + mapName + ", struct " + structName + ", programs " + programSlots.values()
                + (registeredByLink ? ", registered by a link" : "") + "]";
    }
}
