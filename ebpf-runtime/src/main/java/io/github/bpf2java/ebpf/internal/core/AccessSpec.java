package io.github.bpf2java.ebpf.internal.core;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.ebpf.spec.CoreRelocationKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A CO-RE access spec resolved against one BTF: where a relocation's access string ({@code 0:1:2}) leads, as libbpf's
 * {@code bpf_core_spec}. The raw indices are every step of the string (anonymous members included); the accessors
 * are the steps a target must reproduce (named members and array indices), and {@code bitOffset} is where the access
 * ends, counted from the root.
 *
 * @param btf       the BTF the ids refer to
 * @param rootId    the type the access starts from, as the relocation record names it (not stripped of typedefs)
 * @param kind      the relocation's kind, which decides how the string is read
 * @param accessors the named-member and array steps; for an enum relocation one accessor naming the enumerator
 * @param raw       every index of the string
 * @param bitOffset the bit offset of the accessed field from the start of the root (field relocations)
 */
record AccessSpec(Btf btf, int rootId, CoreRelocationKind kind, List<Accessor> accessors, List<Integer> raw,
        long bitOffset) {

    /** The longest access libbpf follows. */
    static final int MAX_LENGTH = 64;

    /**
     * One step: a member of a struct or union ({@code typeId} is the struct, {@code index} the member, {@code name}
     * its name), an array element ({@code typeId} the element type, {@code name} null), or an enumerator.
     */
    record Accessor(int typeId, int index, String name) {}

    static boolean isFieldKind(CoreRelocationKind kind) {
        return kind.ordinal() <= CoreRelocationKind.FIELD_RSHIFT_U64.ordinal();
    }

    static boolean isTypeKind(CoreRelocationKind kind) {
        return switch (kind) {
            case TYPE_ID_LOCAL, TYPE_ID_TARGET, TYPE_EXISTS, TYPE_SIZE, TYPE_MATCHES -> true;
            default -> false;
        };
    }

    static boolean isEnumKind(CoreRelocationKind kind) {
        return kind == CoreRelocationKind.ENUMVAL_EXISTS || kind == CoreRelocationKind.ENUMVAL_VALUE;
    }

    /**
     * Reads {@code access} for a relocation of {@code kind} starting at local type {@code rootId}.
     *
     * @throws CoreSpecException when the string is malformed or leads outside the types
     */
    static AccessSpec parse(Btf btf, int rootId, String access, CoreRelocationKind kind) {
        List<Integer> raw = new ArrayList<>();
        for (String part : access.split(":", -1)) {
            if (part.isEmpty() || part.length() > 9 || !part.chars().allMatch(Character::isDigit)) {
                throw new CoreSpecException("access string '" + access + "' is not a list of indices "
                        + "separated by ':'");
            }
            raw.add(Integer.parseInt(part));
        }
        if (raw.size() > MAX_LENGTH) {
            throw new CoreSpecException("access string '" + access + "' has " + raw.size()
                    + " steps, more than the " + MAX_LENGTH + " CO-RE follows");
        }
        if (rootId <= 0 || rootId >= btf.types().size()) {
            throw new CoreSpecException("relocation names type id " + rootId + ", which the object's BTF "
                    + "does not have");
        }
        if (isTypeKind(kind)) {
            if (!access.equals("0")) {
                throw new CoreSpecException("type relocation " + kind + " has access string '" + access
                        + "' where '0' is expected");
            }
            return new AccessSpec(btf, rootId, kind, List.of(), raw, 0);
        }
        int id = CoreTypes.skipModifiers(btf, rootId);
        BtfType t = btf.type(id);
        int first = raw.get(0);
        if (isEnumKind(kind)) {
            if (!(t instanceof BtfType.Enum e) || raw.size() > 1 || first >= e.values().size()) {
                throw new CoreSpecException("enum relocation " + kind + " with access string '" + access
                        + "' does not name an enumerator of " + btf.describe(rootId));
            }
            return new AccessSpec(btf, rootId, kind, List.of(new Accessor(id, first, e.values().get(first).name())),
                    raw, 0);
        }
        List<Accessor> accessors = new ArrayList<>();
        accessors.add(new Accessor(id, first, null));
        long bitOffset = first * size(btf, id) * 8;
        for (int i = 1; i < raw.size(); i++) {
            id = CoreTypes.skipModifiers(btf, id);
            t = btf.type(id);
            int index = raw.get(i);
            if (CoreTypes.isComposite(t)) {
                List<Member> members = CoreTypes.members(t);
                if (index >= members.size()) {
                    throw new CoreSpecException("access string '" + access + "' asks for member " + index
                            + " of " + btf.describe(id) + ", which has " + members.size());
                }
                Member m = members.get(index);
                bitOffset += m.bitOffset();
                if (!m.name().isEmpty()) {
                    accessors.add(new Accessor(id, index, m.name()));
                }
                id = m.typeId();
            } else if (t instanceof BtfType.Array a) {
                int element = CoreTypes.skipModifiers(btf, a.elementTypeId());
                boolean flexible = isFlexibleArray(btf, accessors.get(accessors.size() - 1), a);
                if (!flexible && Integer.toUnsignedLong(index) >= Integer.toUnsignedLong(a.length())) {
                    throw new CoreSpecException("access string '" + access + "' asks for element " + index
                            + " of an array of " + a.length());
                }
                accessors.add(new Accessor(element, index, null));
                bitOffset += index * size(btf, element) * 8;
                id = element;
            } else {
                throw new CoreSpecException("access string '" + access + "' steps into "
                        + btf.describe(id) + ", which is neither a struct, a union nor an array");
            }
        }
        return new AccessSpec(btf, rootId, kind, List.copyOf(accessors), raw, bitOffset);
    }

    /** A zero-length array as the last member of a struct: a C flexible array member, indexable past its length. */
    static boolean isFlexibleArray(Btf btf, Accessor previous, BtfType.Array array) {
        if (previous.name() == null || array.length() > 0) {
            return false;
        }
        return previous.index() == CoreTypes.members(btf.type(previous.typeId())).size() - 1;
    }

    static long size(Btf btf, int id) {
        try {
            return btf.sizeOf(id);
        } catch (RuntimeException e) {
            throw new CoreSpecException("type " + btf.describe(id) + " has no size: " + e.getMessage());
        }
    }

    /**
     * The access as C would write it, for messages: {@code task_struct.pid}, {@code sk_buff.cb[2]},
     * {@code pid_type::PIDTYPE_TGID}, or the type's name for type relocations.
     */
    String cAccess() {
        BtfType root = btf.type(rootId);
        // The essential name: what the target is searched for, and what the C program means.
        String rootName = CoreTypes.name(root).isEmpty() ? btf.describe(rootId)
                : CoreTypes.essentialName(CoreTypes.name(root));
        if (isTypeKind(kind)) {
            return rootName;
        }
        if (isEnumKind(kind)) {
            return rootName + "::" + accessors.get(0).name();
        }
        StringBuilder sb = new StringBuilder(rootName);
        if (raw.get(0) != 0) {
            sb.append('[').append(raw.get(0)).append(']');
        }
        for (int i = 1; i < accessors.size(); i++) {
            Accessor a = accessors.get(i);
            if (a.name() != null) {
                sb.append('.').append(a.name());
            } else {
                sb.append('[').append(a.index()).append(']');
            }
        }
        return sb.toString();
    }
}
