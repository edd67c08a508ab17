package io.github.bpf2java.ebpf.internal.core;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.ebpf.internal.asm.Instructions;
import io.github.bpf2java.ebpf.internal.asm.Opcodes;
import io.github.bpf2java.ebpf.internal.core.AccessSpec.Accessor;
import io.github.bpf2java.ebpf.internal.core.TargetTypes.Candidate;
import io.github.bpf2java.ebpf.spec.CoreRelocationKind;
import io.github.bpf2java.ebpf.spec.FunctionSpec.CoreRelocation;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves an object's CO-RE relocations against a target's types and patches the instructions, in user space, with
 * libbpf's semantics: the access spec is read against the object's BTF, candidates with the same essential name are
 * looked up in the target, each is matched (field by field name, array by index, enumerator by name, type by the
 * compatibility rules), every matching candidate must give the same value, and the value goes into the ALU
 * immediate, the load/store offset (with the load size adjusted when the field's size changed and that is safe), or
 * the {@code ld_imm64} constant. A relocation the target cannot satisfy poisons its instruction: it becomes a call of
 * helper {@link #POISON_HELPER}, harmless in dead code (the verifier drops it) and refused where reachable.
 *
 * <p>One instance per object and target; it remembers candidates per local type. Not thread-safe.
 */
public final class CoreRelocator {
    /** The helper number of a poisoned instruction, as libbpf writes it: {@code 0xbad2310}. */
    public static final int POISON_HELPER = 0xbad2310;

    private static final int SIZE_MASK = 0x18;
    private static final int CLASS_MASK = 0x07;
    private static final int SOURCE_X = 0x08;

    private final Btf local;
    private final TargetTypes targets;
    private final Map<Integer, List<Candidate>> candidates = new HashMap<>();

    /**
     * @param local   the object's BTF, which the relocation records refer to
     * @param targets the types to relocate against
     */
    public CoreRelocator(Btf local, TargetTypes targets) {
        this.local = local;
        this.targets = targets;
    }

    /**
     * Resolves every relocation and patches {@code code} in place; offsets in the records index {@code code}.
     *
     * @return one outcome per relocation, in order
     * @throws CoreSpecException naming the relocation when one cannot be applied (not even poisoned)
     */
    public List<CoreOutcome> relocate(Instructions code, List<CoreRelocation> relocations) {
        List<CoreOutcome> out = new ArrayList<>(relocations.size());
        for (CoreRelocation relocation : relocations) {
            out.add(relocate(code, relocation));
        }
        return out;
    }

    /**
     * Resolves one relocation and patches {@code code} at its instruction.
     *
     * @throws CoreSpecException naming the relocation when it cannot be applied (not even poisoned)
     */
    public CoreOutcome relocate(Instructions code, CoreRelocation relocation) {
        int at = relocation.instructionOffset();
        String what = relocation.kind() + " relocation at instruction " + at + " (access '"
                + relocation.accessString() + "' from type " + relocation.typeId() + ")";
        try {
            if (at < 0 || at >= code.count()) {
                throw new CoreSpecException("the instruction is outside the code (" + code.count()
                        + " instructions)");
            }
            AccessSpec spec = AccessSpec.parse(local, relocation.typeId(), relocation.accessString(),
                    relocation.kind());
            what = relocation.kind() + " relocation of " + spec.cAccess() + " at instruction " + at;
            Resolution resolution = resolve(spec, code.order());
            String reason = resolution.poison
                    ? (resolution.reason.isEmpty() ? "no target type matches" : resolution.reason) : "";
            if (!resolution.poison) {
                reason = patch(code, at, resolution);
            }
            if (!reason.isEmpty()) {
                poison(code, at);
            }
            return new CoreOutcome(at, relocation.kind(), spec.cAccess(), local.describe(relocation.typeId()),
                    !reason.isEmpty(), reason.isEmpty() ? resolution.target : 0, reason);
        } catch (CoreSpecException e) {
            throw new CoreSpecException(what + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // Malformed BTF surfaces as ObjectFormatException from lookups; keep the relocation in the message.
            throw new CoreSpecException(what + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Resolution

    /** The values a relocation has in the object (as compiled) and in the target, and how to patch with them. */
    private static final class Resolution {
        long original;
        long target;
        boolean poison;
        boolean validate = true;
        int originalSize;
        int targetSize;
        boolean unsafeSizeChange;
        String reason = "";
    }

    private Resolution resolve(AccessSpec spec, ByteOrder order) {
        Resolution result = new Resolution();
        if (spec.kind() == CoreRelocationKind.TYPE_ID_LOCAL) {
            result.original = spec.rootId();
            result.target = spec.rootId();
            // Not checked against the code: a static linker renumbers the BTF (merging and deduplicating types)
            // without touching the instructions, as libbpf's linker does too; the patch sets the right id.
            result.validate = false;
            return result;
        }
        BtfType root = local.type(spec.rootId());
        if (root.name().isEmpty() || root instanceof BtfType.Void) {
            throw new CoreSpecException("the access starts from an anonymous type (" + local.describe(
                    spec.rootId()) + "), which has no name to find in the target");
        }
        List<Candidate> found = candidates.computeIfAbsent(spec.rootId(), id -> targets.candidates(root));
        Resolution chosen = null;
        AccessSpec chosenSpec = null;
        StringBuilder misses = new StringBuilder();
        for (Candidate candidate : found) {
            AccessSpec matched = match(spec, candidate, misses);
            if (matched == null) {
                continue;
            }
            Resolution r = calculate(spec, matched, order);
            if (chosen == null) {
                chosen = r;
                chosenSpec = matched;
            } else if (matched.bitOffset() != chosenSpec.bitOffset() || r.poison != chosen.poison
                    || r.target != chosen.target) {
                throw new CoreSpecException("target types " + describe(chosenSpec) + " and "
                        + describe(matched) + " both match but give different values (" + chosen.target + " and "
                        + r.target + "); the target's BTF is ambiguous for this access");
            }
        }
        if (chosen != null) {
            return chosen;
        }
        Resolution none = calculate(spec, null, order);
        if (none.poison) {
            none.reason = found.isEmpty()
                    ? "the target has no " + CoreTypes.kindWord(root) + " named '"
                            + CoreTypes.essentialName(root.name()) + "'"
                    : misses.toString();
        }
        return none;
    }

    private static String describe(AccessSpec spec) {
        return "[" + spec.rootId() + "] " + spec.btf().describe(spec.rootId());
    }

    /** The target's spec for {@code spec} in {@code candidate}, or null (with the reason appended) if it has none. */
    private AccessSpec match(AccessSpec spec, Candidate candidate, StringBuilder misses) {
        Btf btf = candidate.btf();
        CoreRelocationKind kind = spec.kind();
        if (AccessSpec.isTypeKind(kind)) {
            boolean ok = kind == CoreRelocationKind.TYPE_MATCHES
                    ? CoreTypes.typesMatch(local, spec.rootId(), btf, candidate.id())
                    : CoreTypes.typesAreCompatible(local, spec.rootId(), btf, candidate.id());
            if (!ok) {
                miss(misses, "target type " + btf.describe(candidate.id()) + " [" + candidate.id() + "] does not "
                        + (kind == CoreRelocationKind.TYPE_MATCHES ? "match " : "fit ")
                        + local.describe(spec.rootId()));
                return null;
            }
            return new AccessSpec(btf, candidate.id(), kind, List.of(), List.of(0), 0);
        }
        if (AccessSpec.isEnumKind(kind)) {
            int id = CoreTypes.skipModifiers(btf, candidate.id());
            String wanted = CoreTypes.essentialName(spec.accessors().get(0).name());
            if (btf.type(id) instanceof BtfType.Enum e) {
                for (int i = 0; i < e.values().size(); i++) {
                    if (CoreTypes.essentialName(e.values().get(i).name()).equals(wanted)) {
                        return new AccessSpec(btf, candidate.id(), kind,
                                List.of(new Accessor(id, i, e.values().get(i).name())), List.of(i), 0);
                    }
                }
            }
            miss(misses, "target " + btf.describe(candidate.id()) + " has no enumerator " + wanted);
            return null;
        }
        TargetSpec target = new TargetSpec();
        int targetId = candidate.id();
        List<Accessor> accessors = spec.accessors();
        for (int i = 0; i < accessors.size(); i++) {
            Accessor wanted = accessors.get(i);
            targetId = CoreTypes.skipModifiers(btf, targetId);
            BtfType type = btf.type(targetId);
            if (wanted.name() != null) {
                int next = matchMember(wanted, btf, targetId, target);
                if (next < 0) {
                    miss(misses, (next == -2 ? "field '" + wanted.name() + "' of " + btf.describe(targetId)
                            + " has an incompatible type" : btf.describe(targetId) + " has no field '"
                            + wanted.name() + "'") + " in target type [" + candidate.id() + "]");
                    return null;
                }
                targetId = next;
            } else {
                if (i > 0) {
                    if (!(type instanceof BtfType.Array array)) {
                        miss(misses, "target " + btf.describe(targetId) + " is not an array");
                        return null;
                    }
                    boolean flexible = AccessSpec.isFlexibleArray(btf,
                            target.accessors.get(target.accessors.size() - 1), array);
                    if (!flexible && Integer.toUnsignedLong(wanted.index())
                            >= Integer.toUnsignedLong(array.length())) {
                        miss(misses, "target array " + btf.describe(targetId) + " has no element "
                                + wanted.index());
                        return null;
                    }
                    targetId = CoreTypes.skipModifiers(btf, array.elementTypeId());
                }
                if (target.raw.size() == AccessSpec.MAX_LENGTH) {
                    throw new CoreSpecException("the target's types nest deeper than " + AccessSpec.MAX_LENGTH);
                }
                target.accessors.add(new Accessor(targetId, wanted.index(), null));
                target.raw.add(wanted.index());
                target.bitOffset += wanted.index() * AccessSpec.size(btf, targetId) * 8;
            }
        }
        return new AccessSpec(btf, candidate.id(), kind, List.copyOf(target.accessors), List.copyOf(target.raw),
                target.bitOffset);
    }

    private static void miss(StringBuilder misses, String why) {
        if (misses.length() > 0) {
            misses.append("; ");
        }
        misses.append(why);
    }

    /** A target spec being built. */
    private static final class TargetSpec {
        final List<Accessor> accessors = new ArrayList<>();
        final List<Integer> raw = new ArrayList<>();
        long bitOffset;
    }

    /**
     * Finds the member {@code wanted} names in target struct or union {@code targetId}, looking through anonymous
     * members; returns the member's type id, -1 when there is none, -2 when its type is incompatible.
     */
    private int matchMember(Accessor wanted, Btf btf, int targetId, TargetSpec spec) {
        Member localMember = CoreTypes.members(local.type(wanted.typeId())).get(wanted.index());
        targetId = CoreTypes.skipModifiers(btf, targetId);
        BtfType type = btf.type(targetId);
        if (!CoreTypes.isComposite(type)) {
            return -1;
        }
        List<Member> members = CoreTypes.members(type);
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (spec.raw.size() == AccessSpec.MAX_LENGTH) {
                throw new CoreSpecException("the target's types nest deeper than " + AccessSpec.MAX_LENGTH);
            }
            spec.bitOffset += m.bitOffset();
            spec.raw.add(i);
            if (m.name().isEmpty()) {
                int found = matchMember(wanted, btf, m.typeId(), spec);
                if (found != -1) {
                    return found;
                }
            } else if (m.name().equals(wanted.name())) {
                if (!CoreTypes.fieldsAreCompatible(local, localMember.typeId(), btf, m.typeId())) {
                    return -2;
                }
                spec.accessors.add(new Accessor(targetId, i, m.name()));
                return m.typeId();
            }
            spec.bitOffset -= m.bitOffset();
            spec.raw.remove(spec.raw.size() - 1);
        }
        return -1;
    }

    /** The object's and the target's values; {@code target} null when no candidate matched. */
    private Resolution calculate(AccessSpec spec, AccessSpec target, ByteOrder order) {
        Resolution r = new Resolution();
        CoreRelocationKind kind = spec.kind();
        if (AccessSpec.isFieldKind(kind)) {
            FieldValue original = fieldValue(spec, order);
            FieldValue patched = fieldValue(target, kind, order);
            r.original = original.value;
            r.validate = original.validate;
            r.originalSize = original.size;
            if (patched == null) {
                r.poison = true;
                return r;
            }
            r.target = patched.value;
            r.targetSize = patched.size;
            if (r.originalSize != r.targetSize) {
                BtfType o = local.type(original.typeId);
                BtfType n = target.btf().type(patched.typeId);
                boolean pointers = o instanceof BtfType.Pointer && n instanceof BtfType.Pointer;
                boolean unsigned = o instanceof BtfType.Int oi && !oi.signed() && n instanceof BtfType.Int ni
                        && !ni.signed();
                r.unsafeSizeChange = !pointers && !unsigned;
            }
        } else if (AccessSpec.isTypeKind(kind)) {
            r.original = typeValue(spec);
            r.target = target == null ? 0 : typeValue(target);
            r.validate = kind != CoreRelocationKind.TYPE_ID_TARGET;
        } else {
            r.original = enumValue(spec);
            if (kind == CoreRelocationKind.ENUMVAL_VALUE && target == null) {
                r.poison = true;
            } else {
                r.target = target == null ? 0 : enumValue(target);
            }
        }
        return r;
    }

    /** A field relocation's value and, for a byte offset, the size and type of what the instruction loads. */
    private record FieldValue(long value, int size, int typeId, boolean validate) {}

    private FieldValue fieldValue(AccessSpec spec, ByteOrder order) {
        FieldValue v = fieldValue(spec, spec.kind(), order);
        if (v == null) {
            throw new IllegalStateException("a local spec always has a value");
        }
        return v;
    }

    /** The value of a field relocation in {@code spec}'s BTF; null asks for poisoning (no target spec). */
    private static FieldValue fieldValue(AccessSpec spec, CoreRelocationKind kind, ByteOrder order) {
        if (kind == CoreRelocationKind.FIELD_EXISTS) {
            return new FieldValue(spec == null ? 0 : 1, 0, 0, true);
        }
        if (spec == null) {
            return null;
        }
        Btf btf = spec.btf();
        Accessor last = spec.accessors().get(spec.accessors().size() - 1);
        if (last.name() == null) {
            long size = AccessSpec.size(btf, last.typeId());
            return switch (kind) {
                case FIELD_BYTE_OFFSET -> new FieldValue(spec.bitOffset() / 8, (int) size, last.typeId(), true);
                case FIELD_BYTE_SIZE -> new FieldValue(size, 0, 0, true);
                default -> throw new CoreSpecException(kind + " cannot be applied to an array element");
            };
        }
        Member m = CoreTypes.members(btf.type(last.typeId())).get(last.index());
        int fieldTypeId = CoreTypes.skipModifiers(btf, m.typeId());
        BtfType fieldType = btf.type(fieldTypeId);
        long bitOffset = spec.bitOffset();
        long bitSize = m.bitfieldSize();
        boolean bitfield = bitSize > 0;
        long byteSize;
        long byteOffset;
        if (bitfield) {
            byteSize = AccessSpec.size(btf, fieldTypeId);
            if (byteSize <= 0) {
                throw new CoreSpecException("bitfield " + m.name() + " has a type of size " + byteSize);
            }
            byteOffset = bitOffset / 8 / byteSize * byteSize;
            // The smallest load that covers the whole bitfield.
            while (bitOffset + bitSize - byteOffset * 8 > byteSize * 8) {
                if (byteSize >= 8) {
                    throw new CoreSpecException("bitfield " + m.name() + " cannot be read with one 64-bit "
                            + "load");
                }
                byteSize *= 2;
                byteOffset = bitOffset / 8 / byteSize * byteSize;
            }
        } else {
            byteSize = AccessSpec.size(btf, fieldTypeId);
            byteOffset = bitOffset / 8;
            bitSize = byteSize * 8;
        }
        return switch (kind) {
            case FIELD_BYTE_OFFSET -> bitfield ? new FieldValue(byteOffset, 0, 0, false)
                    : new FieldValue(byteOffset, (int) byteSize, fieldTypeId, true);
            case FIELD_BYTE_SIZE -> new FieldValue(byteSize, 0, 0, !bitfield);
            case FIELD_SIGNED -> new FieldValue(isSigned(fieldType) ? 1 : 0, 0, 0, true);
            case FIELD_LSHIFT_U64 -> new FieldValue(order == ByteOrder.LITTLE_ENDIAN
                    ? 64 - (bitOffset + bitSize - byteOffset * 8)
                    : (8 - byteSize) * 8 + (bitOffset - byteOffset * 8), 0, 0, !bitfield);
            case FIELD_RSHIFT_U64 -> new FieldValue(64 - bitSize, 0, 0, true);
            default -> throw new IllegalStateException(kind + " is not a field relocation");
        };
    }

    private static boolean isSigned(BtfType t) {
        return t instanceof BtfType.Enum e && e.signed() || t instanceof BtfType.Int i && i.signed();
    }

    private static long typeValue(AccessSpec spec) {
        return switch (spec.kind()) {
            case TYPE_ID_TARGET -> spec.rootId();
            case TYPE_EXISTS, TYPE_MATCHES -> 1;
            case TYPE_SIZE -> AccessSpec.size(spec.btf(), spec.rootId());
            default -> throw new IllegalStateException(spec.kind() + " is not a type relocation");
        };
    }

    private static long enumValue(AccessSpec spec) {
        if (spec.kind() == CoreRelocationKind.ENUMVAL_EXISTS) {
            return 1;
        }
        Accessor a = spec.accessors().get(0);
        BtfType.Enum e = (BtfType.Enum) spec.btf().type(a.typeId());
        long v = e.values().get(a.index()).value();
        // A 32-bit enumerator is widened as a signed 32-bit value, as libbpf does.
        return e.size() == 8 ? v : (int) v;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Patching

    /**
     * Writes the target value into the instruction; returns a reason to poison it instead (an unsafe load size
     * change), or the empty string.
     */
    private static String patch(Instructions code, int at, Resolution r) {
        int opcode = code.opcode(at);
        int cls = opcode & CLASS_MASK;
        switch (cls) {
            case Opcodes.CLASS_ALU, Opcodes.CLASS_ALU64 -> {
                if ((opcode & SOURCE_X) != 0) {
                    throw new CoreSpecException(String.format("instruction (opcode 0x%02x) takes a register "
                            + "operand, not an immediate to relocate", opcode));
                }
                int imm = code.immediate(at);
                if (r.validate && Integer.toUnsignedLong(imm) != (r.original & 0xffffffffL)) {
                    throw unexpected("ALU immediate", Integer.toUnsignedLong(imm), r.original);
                }
                code.setImmediate(at, (int) r.target);
            }
            case Opcodes.CLASS_LDX, Opcodes.CLASS_ST, Opcodes.CLASS_STX -> {
                short off = code.offset(at);
                if (r.validate && off != r.original) {
                    throw unexpected("load/store offset", off, r.original);
                }
                if (r.target > Short.MAX_VALUE) {
                    throw new CoreSpecException("offset " + r.target + " does not fit a load/store "
                            + "instruction (at most " + Short.MAX_VALUE + ")");
                }
                if (r.unsafeSizeChange) {
                    return "the field's size changed from " + r.originalSize + " to " + r.targetSize
                            + " bytes and it is neither a pointer nor an unsigned integer, so the load cannot be "
                            + "resized safely";
                }
                code.setOffset(at, (short) r.target);
                if (r.originalSize != r.targetSize) {
                    int bytes = sizeBytes(opcode);
                    if (bytes != r.originalSize) {
                        throw new CoreSpecException("instruction accesses " + bytes + " bytes, but the field "
                                + "has " + r.originalSize);
                    }
                    code.setOpcode(at, (opcode & ~SIZE_MASK) | sizeBits(r.targetSize));
                }
            }
            case Opcodes.CLASS_LD -> {
                if (!code.isLoadImm64(at) || at + 1 >= code.count() || code.sourceRegister(at) != 0
                        || code.offset(at) != 0 || code.opcode(at + 1) != 0 || code.destinationRegister(at + 1) != 0
                        || code.sourceRegister(at + 1) != 0 || code.offset(at + 1) != 0) {
                    throw new CoreSpecException(String.format("instruction (opcode 0x%02x) is not a plain "
                            + "ld_imm64", opcode));
                }
                long imm = Integer.toUnsignedLong(code.immediate(at)) | (long) code.immediate(at + 1) << 32;
                if (r.validate && imm != r.original) {
                    throw unexpected("ld_imm64 constant", imm, r.original);
                }
                code.setImmediate64(at, r.target);
            }
            default -> throw new CoreSpecException(String.format("instruction (opcode 0x%02x) is not one "
                    + "CO-RE can patch (ALU immediate, load, store or ld_imm64)", opcode));
        }
        return "";
    }

    private static CoreSpecException unexpected(String what, long found, long expected) {
        return new CoreSpecException("the " + what + " is " + found + " where the object's BTF says "
                + expected + "; the object's BTF and code disagree");
    }

    private static int sizeBytes(int opcode) {
        return switch (opcode & SIZE_MASK) {
            case 0x00 -> 4;
            case 0x08 -> 2;
            case 0x10 -> 1;
            default -> 8;
        };
    }

    private static int sizeBits(int bytes) {
        return switch (bytes) {
            case 4 -> 0x00;
            case 2 -> 0x08;
            case 1 -> 0x10;
            case 8 -> 0x18;
            default -> throw new CoreSpecException("the field's new size " + bytes + " is no load size");
        };
    }

    /**
     * Turns the instruction (both halves of an {@code ld_imm64}) into {@code call 0xbad2310}, as libbpf does, so the
     * verifier names it if it is reachable.
     */
    private static void poison(Instructions code, int at) {
        if (code.isLoadImm64(at) && at + 1 < code.count()) {
            poisonOne(code, at + 1);
        }
        poisonOne(code, at);
    }

    private static void poisonOne(Instructions code, int at) {
        code.setOpcode(at, Opcodes.CALL);
        code.setRegisters(at, 0, 0);
        code.setOffset(at, (short) 0);
        code.setImmediate(at, POISON_HELPER);
    }
}
