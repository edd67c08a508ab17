package io.github.bpf2java.ebpf.internal.core;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.btf.BtfType.Enum;
import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.ebpf.btf.BtfType.Qualifier;
import io.github.bpf2java.ebpf.btf.BtfType.Struct;
import io.github.bpf2java.ebpf.btf.BtfType.Typedef;
import io.github.bpf2java.ebpf.btf.BtfType.Union;
import java.util.List;

/**
 * The type rules of CO-RE: flavor names, which kinds count as the same, and when a local type or field is
 * compatible with a target one. The rules are libbpf's (relo_core.c), so an object relocates here as it would there.
 */
final class CoreTypes {
    /** How deep type comparisons recurse before giving up, as libbpf's limit. */
    static final int MAX_DEPTH = 32;

    private CoreTypes() {}

    /**
     * The name without its flavor: {@code task_struct___v1} becomes {@code task_struct}. A flavor is the part after
     * the last {@code X___Y} separator (neither X nor Y an underscore), so {@code a____b} keeps its name.
     */
    static String essentialName(String name) {
        for (int i = name.length() - 5; i >= 0; i--) {
            if (name.charAt(i) != '_' && name.charAt(i + 1) == '_' && name.charAt(i + 2) == '_'
                    && name.charAt(i + 3) == '_' && name.charAt(i + 4) != '_') {
                return name.substring(0, i + 1);
            }
        }
        return name;
    }

    /** A type's C name, or the empty string for anonymous types and {@code void} (which BTF does not name). */
    static String name(BtfType t) {
        return t instanceof BtfType.Void ? "" : t.name();
    }

    /** The id reached from {@code id} by skipping typedefs and qualifiers (const, volatile, restrict, type tags). */
    static int skipModifiers(Btf btf, int id) {
        for (int depth = 0; depth < 4096; depth++) {
            BtfType t = btf.type(id);
            if (t instanceof Typedef d) {
                id = d.targetId();
            } else if (t instanceof Qualifier q) {
                id = q.targetId();
            } else {
                return id;
            }
        }
        throw new CoreSpecException("type " + id + " is a chain of more than 4096 typedefs and qualifiers");
    }

    static boolean isComposite(BtfType t) {
        return t instanceof Struct || t instanceof Union;
    }

    static List<Member> members(BtfType t) {
        if (t instanceof Struct s) {
            return s.members();
        }
        if (t instanceof Union u) {
            return u.members();
        }
        return List.of();
    }

    /**
     * What decides whether two types are "the same kind" for CO-RE: the BTF kind, except that 32- and 64-bit enums
     * count as one kind, and each qualifier is its own kind.
     */
    static Object kindKey(BtfType t) {
        if (t instanceof Qualifier q) {
            return q.kind();
        }
        if (t instanceof Enum) {
            return Enum.class;
        }
        return t.getClass();
    }

    static boolean sameKind(BtfType a, BtfType b) {
        return kindKey(a).equals(kindKey(b));
    }

    /** A C-like word for the kind, for messages: {@code struct}, {@code union}, {@code enum}, {@code typedef}... */
    static String kindWord(BtfType t) {
        if (t instanceof Struct) {
            return "struct";
        } else if (t instanceof Union) {
            return "union";
        } else if (t instanceof Enum) {
            return "enum";
        } else if (t instanceof Typedef) {
            return "typedef";
        } else if (t instanceof BtfType.Forward f) {
            return f.union() ? "union (forward)" : "struct (forward)";
        } else if (t instanceof BtfType.Int) {
            return "int";
        } else if (t instanceof BtfType.Float) {
            return "float";
        } else if (t instanceof BtfType.FuncProto) {
            return "function prototype";
        }
        return t.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether a local type may be relocated to a target type for type-based relocations (existence, size, target
     * id): names matched already, so composites, enums and forward declarations agree by kind alone, integers when
     * neither is an old-style bitfield integer, pointers, arrays and function prototypes by what they refer to.
     */
    static boolean typesAreCompatible(Btf localBtf, int localId, Btf targetBtf, int targetId) {
        return typesAreCompatible(localBtf, localId, targetBtf, targetId, MAX_DEPTH);
    }

    private static boolean typesAreCompatible(Btf localBtf, int localId, Btf targetBtf, int targetId, int level) {
        if (!sameKind(localBtf.type(localId), targetBtf.type(targetId))) {
            return false;
        }
        for (int depth = MAX_DEPTH; depth > 0; depth--) {
            localId = skipModifiers(localBtf, localId);
            targetId = skipModifiers(targetBtf, targetId);
            BtfType local = localBtf.type(localId);
            BtfType target = targetBtf.type(targetId);
            if (!sameKind(local, target)) {
                return false;
            }
            if (local instanceof BtfType.Void || isComposite(local) || local instanceof Enum
                    || local instanceof BtfType.Forward) {
                return true;
            } else if (local instanceof BtfType.Int li) {
                return li.bitOffset() == 0 && ((BtfType.Int) target).bitOffset() == 0;
            } else if (local instanceof BtfType.Pointer lp) {
                localId = lp.targetId();
                targetId = ((BtfType.Pointer) target).targetId();
            } else if (local instanceof BtfType.Array la) {
                localId = la.elementTypeId();
                targetId = ((BtfType.Array) target).elementTypeId();
            } else if (local instanceof BtfType.FuncProto lf) {
                BtfType.FuncProto tf = (BtfType.FuncProto) target;
                if (lf.params().size() != tf.params().size() || level <= 0) {
                    return false;
                }
                for (int i = 0; i < lf.params().size(); i++) {
                    if (!typesAreCompatible(localBtf, skipModifiers(localBtf, lf.params().get(i).typeId()), targetBtf,
                            skipModifiers(targetBtf, tf.params().get(i).typeId()), level - 1)) {
                        return false;
                    }
                }
                localId = lf.returnTypeId();
                targetId = tf.returnTypeId();
            } else {
                return false;
            }
        }
        return false;
    }

    /**
     * Whether a local field's type may be relocated to a target field's type: any two structs or unions, pointers
     * and floats of any target, enums and forward declarations of the same essential name (or either anonymous),
     * integers of any size and signedness (not old-style bitfield integers), arrays by their elements.
     */
    static boolean fieldsAreCompatible(Btf localBtf, int localId, Btf targetBtf, int targetId) {
        for (int depth = MAX_DEPTH; depth > 0; depth--) {
            localId = skipModifiers(localBtf, localId);
            targetId = skipModifiers(targetBtf, targetId);
            BtfType local = localBtf.type(localId);
            BtfType target = targetBtf.type(targetId);
            if (isComposite(local) && isComposite(target)) {
                return true;
            }
            if (!sameKind(local, target)) {
                return false;
            }
            if (local instanceof BtfType.Pointer || local instanceof BtfType.Float) {
                return true;
            } else if (local instanceof BtfType.Forward || local instanceof Enum) {
                String l = essentialName(name(local));
                String t = essentialName(name(target));
                return l.isEmpty() || t.isEmpty() || l.equals(t);
            } else if (local instanceof BtfType.Int li) {
                return li.bitOffset() == 0 && ((BtfType.Int) target).bitOffset() == 0;
            } else if (local instanceof BtfType.Array la) {
                localId = la.elementTypeId();
                targetId = ((BtfType.Array) target).elementTypeId();
            } else {
                return false;
            }
        }
        return false;
    }

    /**
     * libbpf's name test for {@code bpf_core_type_matches}: an anonymous local matches any name, otherwise the
     * target name must start with the local's essential name.
     */
    static boolean namesMatch(String local, String target) {
        if (local.isEmpty()) {
            return true;
        }
        return target.startsWith(essentialName(local));
    }

    /**
     * The stricter relation of {@code bpf_core_type_matches} ({@code BPF_CORE_TYPE_MATCHES}): same kinds all the
     * way down, integers of equal size and signedness, arrays of equal length, every local member and enumerator
     * present by name in the target; behind a pointer, a struct or union also matches a forward declaration.
     */
    static boolean typesMatch(Btf localBtf, int localId, Btf targetBtf, int targetId) {
        return typesMatch(localBtf, localId, targetBtf, targetId, false, MAX_DEPTH);
    }

    private static boolean typesMatch(Btf localBtf, int localId, Btf targetBtf, int targetId, boolean behindPointer,
            int level) {
        for (int depth = MAX_DEPTH; depth > 0; depth--) {
            if (level <= 0) {
                return false;
            }
            localId = skipModifiers(localBtf, localId);
            targetId = skipModifiers(targetBtf, targetId);
            BtfType local = localBtf.type(localId);
            BtfType target = targetBtf.type(targetId);
            if (!namesMatch(name(local), name(target))) {
                return false;
            }
            if (local instanceof BtfType.Void) {
                return target instanceof BtfType.Void;
            } else if (local instanceof BtfType.Forward lf) {
                if (behindPointer) {
                    if (target instanceof BtfType.Forward tf) {
                        return lf.union() == tf.union();
                    }
                    return target instanceof Struct && !lf.union() || target instanceof Union && lf.union();
                }
                return target instanceof BtfType.Forward tf && lf.union() == tf.union();
            } else if (local instanceof Enum le) {
                return target instanceof Enum te && enumsMatch(le, te);
            } else if (isComposite(local)) {
                if (behindPointer) {
                    if (sameKind(local, target)) {
                        return true;
                    }
                    return target instanceof BtfType.Forward tf && (local instanceof Union) == tf.union();
                }
                return sameKind(local, target)
                        && compositesMatch(localBtf, local, targetBtf, target, behindPointer, level);
            } else if (local instanceof BtfType.Int li) {
                return target instanceof BtfType.Int ti && li.size() == ti.size() && li.signed() == ti.signed();
            } else if (local instanceof BtfType.Pointer lp) {
                if (!(target instanceof BtfType.Pointer tp)) {
                    return false;
                }
                behindPointer = true;
                localId = lp.targetId();
                targetId = tp.targetId();
            } else if (local instanceof BtfType.Array la) {
                if (!(target instanceof BtfType.Array ta) || la.length() != ta.length()) {
                    return false;
                }
                localId = la.elementTypeId();
                targetId = ta.elementTypeId();
            } else if (local instanceof BtfType.FuncProto lf) {
                if (!(target instanceof BtfType.FuncProto tf) || lf.params().size() != tf.params().size()) {
                    return false;
                }
                for (int i = 0; i < lf.params().size(); i++) {
                    if (!typesMatch(localBtf, lf.params().get(i).typeId(), targetBtf, tf.params().get(i).typeId(),
                            behindPointer, level - 1)) {
                        return false;
                    }
                }
                localId = lf.returnTypeId();
                targetId = tf.returnTypeId();
            } else {
                return false;
            }
        }
        return false;
    }

    private static boolean enumsMatch(Enum local, Enum target) {
        if (local.size() != target.size() || local.values().size() > target.values().size()) {
            return false;
        }
        for (BtfType.EnumValue l : local.values()) {
            if (target.values().stream().noneMatch(t -> namesMatch(l.name(), t.name()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean compositesMatch(Btf localBtf, BtfType local, Btf targetBtf, BtfType target,
            boolean behindPointer, int level) {
        List<Member> lm = members(local);
        List<Member> tm = members(target);
        if (lm.size() > tm.size()) {
            return false;
        }
        for (Member l : lm) {
            boolean matched = false;
            for (Member t : tm) {
                if (namesMatch(l.name(), t.name())
                        && typesMatch(localBtf, l.typeId(), targetBtf, t.typeId(), behindPointer, level - 1)) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }
}
