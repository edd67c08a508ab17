package io.github.bpf2java.maven.vmlinux;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.maven.vmlinux.RecordLayout.Field;
import io.github.bpf2java.maven.vmlinux.RecordLayout.Item;
import io.github.bpf2java.maven.vmlinux.RecordLayout.Padding;
import io.github.bpf2java.maven.vmlinux.RecordLayout.Plan;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * C spellings of BTF types: declarators ({@code int (*handler)(struct sk_buff *)}, {@code char name[16]}), record and
 * enum bodies, qualifiers and type tags. C reads a declarator inside out, so the spelling is built the same way: the
 * name in the middle, each pointer, array or function wrapping it, the base type last.
 *
 * <p>Anonymous structs, unions and enums are written where they are used. An anonymous enum's enumerators may be
 * defined only once in a translation unit, so after its first spelling (and inside parameter lists, where a definition
 * would not be visible outside) it is written as the integer type of its size.
 */
final class Declarations {
    static final String TYPE_TAG_MACRO = "__bpf2java_type_tag";
    static final String DECL_TAG_MACRO = "__bpf2java_decl_tag";

    private final Btf btf;
    private final CNames names;
    private final RecordLayout layout;
    /** Decl tags by target type id and component index (-1: the type itself). */
    private final Map<Integer, Map<Integer, List<BtfType.DeclTag>>> declTags;
    private final Set<Integer> spelledEnums = new HashSet<>();

    Declarations(Btf btf, CNames names, RecordLayout layout, Map<Integer, Map<Integer, List<BtfType.DeclTag>>> tags) {
        this.btf = btf;
        this.names = names;
        this.layout = layout;
        this.declTags = tags;
    }

    /** Whether anonymous enum {@code id} has had its enumerators written. */
    boolean enumSpelled(int id) {
        return spelledEnums.contains(id);
    }

    /** {@code type} declaring {@code inner} (a name, or empty for an abstract declarator), at {@code indent} tabs. */
    String declare(int type, String inner, int indent, boolean inParameters) {
        BtfType t = btf.type(type);
        if (t instanceof BtfType.Void) {
            return join("void", inner);
        } else if (t instanceof BtfType.Int || t instanceof BtfType.Float) {
            return join(t.name(), inner);
        } else if (t instanceof BtfType.Pointer p) {
            String wrapped = "*" + inner;
            BtfType pointee = skipQualifiers(p.targetId());
            if (pointee instanceof BtfType.Array || pointee instanceof BtfType.FuncProto) {
                wrapped = "(" + wrapped + ")";
            }
            return declare(p.targetId(), wrapped, indent, inParameters);
        } else if (t instanceof BtfType.Array a) {
            return declare(a.elementTypeId(), inner + "[" + Integer.toUnsignedString(a.length()) + "]", indent,
                    inParameters);
        } else if (t instanceof BtfType.Qualifier q) {
            return qualified(q, inner, indent, inParameters);
        } else if (t instanceof BtfType.FuncProto f) {
            return declare(f.returnTypeId(), inner + "(" + parameters(f, indent) + ")", indent, inParameters);
        } else if (t instanceof BtfType.Typedef) {
            return join(names.of(type), inner);
        } else if (t instanceof BtfType.Struct || t instanceof BtfType.Union) {
            String keyword = t instanceof BtfType.Union ? "union" : "struct";
            if (!t.name().isEmpty()) {
                return join(keyword + " " + names.of(type), inner);
            }
            return join(recordBody(type, indent), inner);
        } else if (t instanceof BtfType.Enum e) {
            if (!e.name().isEmpty()) {
                return join("enum " + names.of(type), inner);
            }
            if (inParameters || e.values().isEmpty() || !spelledEnums.add(type)) {
                return join(integerOf(e), inner);
            }
            return join(enumBody(e, indent), inner);
        } else if (t instanceof BtfType.Forward f) {
            return join((f.union() ? "union " : "struct ") + names.of(type), inner);
        }
        // FUNC, VAR, DATASEC and DECL_TAG are not types a declaration can name.
        return join("void", inner);
    }

    private String qualified(BtfType.Qualifier q, String inner, int indent, boolean inParameters) {
        String word = switch (q.kind()) {
            case CONST -> "const";
            case VOLATILE -> "volatile";
            case RESTRICT -> "restrict";
            case TYPE_TAG -> q.attribute() ? "__attribute__((" + q.name() + "))"
                    : TYPE_TAG_MACRO + "(\"" + escape(q.name()) + "\")";
        };
        BtfType target = skipQualifiers(q.targetId());
        if (q.kind() == BtfType.QualifierKind.TYPE_TAG || target instanceof BtfType.Pointer) {
            // A pointer's own qualifier and any type tag follow what they qualify: "char *const p", "int __tag *p".
            return declare(q.targetId(), inner.isEmpty() ? word : word + " " + inner, indent, inParameters);
        }
        String declared = declare(q.targetId(), inner, indent, inParameters);
        // A qualified array qualifies its elements, which BTF often records as well: "const char name[8]" once.
        return declared.startsWith(word + " ") ? declared : word + " " + declared;
    }

    private String parameters(BtfType.FuncProto f, int indent) {
        List<BtfType.Param> params = f.params();
        if (params.isEmpty()) {
            return "void";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < params.size(); i++) {
            BtfType.Param p = params.get(i);
            if (i > 0) {
                out.append(", ");
            }
            if (i == params.size() - 1 && p.typeId() == 0) {
                out.append("...");
            } else {
                out.append(declare(p.typeId(), p.name(), indent, true));
            }
        }
        return out.toString();
    }

    /** {@code struct name { ... }} or an anonymous one, members indented one level below {@code indent}. */
    String recordBody(int id, int indent) {
        BtfType t = btf.type(id);
        boolean union = t instanceof BtfType.Union;
        Plan plan = layout.plan(id);
        StringBuilder out = new StringBuilder(union ? "union" : "struct");
        if (!t.name().isEmpty()) {
            out.append(' ').append(names.of(id));
        }
        out.append(" {\n");
        if (!plan.exact()) {
            tabs(out, indent + 1).append("/* bpf2java: C cannot lay this record out as the BTF does */\n");
        }
        for (Item item : plan.items()) {
            tabs(out, indent + 1);
            if (item instanceof Field f) {
                Member m = f.member();
                out.append(declare(m.typeId(), m.name(), indent + 1, false));
                if (f.bits() > 0) {
                    out.append(": ").append(f.bits());
                }
                appendDeclTags(out, id, f.index());
            } else if (item instanceof Padding p) {
                out.append(switch (p.unitBits()) {
                    case 64 -> "long";
                    case 32 -> "int";
                    case 16 -> "short";
                    default -> "char";
                }).append(": ").append(p.bits());
            }
            out.append(";\n");
        }
        tabs(out, indent).append('}');
        if (plan.packed()) {
            out.append(" __attribute__((packed))");
        }
        return out.toString();
    }

    /** {@code enum name { A = 1, ... }}. */
    String enumBody(BtfType.Enum e, int indent) {
        StringBuilder out = new StringBuilder("enum");
        if (!e.name().isEmpty()) {
            out.append(' ').append(names.of(e.id()));
        }
        out.append(" {\n");
        for (int i = 0; i < e.values().size(); i++) {
            tabs(out, indent + 1).append(names.enumerator(e.id(), i)).append(" = ")
                    .append(enumValue(e, e.values().get(i).value())).append(",\n");
        }
        tabs(out, indent).append('}');
        if (e.size() < 4) {
            // The kernel's __packed enums: C then picks the smallest integer type that holds every value.
            out.append(" __attribute__((packed))");
        }
        return out.toString();
    }

    private static String enumValue(BtfType.Enum e, long value) {
        if (e.size() <= 4) {
            return e.signed() ? Integer.toString((int) value) : Long.toString(value & 0xffff_ffffL);
        }
        if (e.signed()) {
            return value == Long.MIN_VALUE ? "(-9223372036854775807LL - 1)" : value + "LL";
        }
        return Long.toUnsignedString(value) + "ULL";
    }

    /** The integer type an enum of this size and signedness occupies. */
    private static String integerOf(BtfType.Enum e) {
        String base = switch (e.size()) {
            case 1 -> "char";
            case 2 -> "short";
            case 8 -> "long long";
            default -> "int";
        };
        return (e.signed() ? "signed " : "unsigned ") + base;
    }

    /** The decl tags of component {@code index} of type {@code id}, as attributes after its declarator. */
    void appendDeclTags(StringBuilder out, int id, int index) {
        Map<Integer, List<BtfType.DeclTag>> byComponent = declTags.get(id);
        List<BtfType.DeclTag> tags = byComponent == null ? null : byComponent.get(index);
        if (tags == null) {
            return;
        }
        for (BtfType.DeclTag tag : tags) {
            out.append(tag.attribute() ? " __attribute__((" + tag.name() + "))"
                    : " " + DECL_TAG_MACRO + "(\"" + escape(tag.name()) + "\")");
        }
    }

    private BtfType skipQualifiers(int id) {
        BtfType t = btf.type(id);
        for (int guard = 0; t instanceof BtfType.Qualifier q && guard < 64; guard++) {
            t = btf.type(q.targetId());
        }
        return t;
    }

    private static String join(String base, String inner) {
        return inner.isEmpty() ? base : base + " " + inner;
    }

    static StringBuilder tabs(StringBuilder out, int indent) {
        for (int i = 0; i < indent; i++) {
            out.append('\t');
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
