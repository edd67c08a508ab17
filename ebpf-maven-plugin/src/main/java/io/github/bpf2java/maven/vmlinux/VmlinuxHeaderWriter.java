package io.github.bpf2java.maven.vmlinux;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes every type of a BTF (typically the kernel's {@code /sys/kernel/btf/vmlinux}) as a C header a BPF program can
 * include instead of the kernel's own headers: {@code vmlinux.h}.
 *
 * <p>The order follows C's rules, not BTF's: a type used by value (a member, an array element, a typedef's target
 * used by value) is defined before the declaration that uses it; a struct or union only pointed to needs just a
 * forward declaration ({@code struct task_struct;}), which also breaks the cycles of records pointing at each other.
 * Within those rules types come in id order, so the same BTF always gives the same text. Anonymous structs, unions
 * and enums are written inline where they are used; anonymous enums nobody uses (the kernel's
 * {@code enum { BPF_ANY = 0, ... };} constants) at the end. Records keep the BTF's exact layout (see
 * {@link RecordLayout}), and every record is marked {@code preserve_access_index} so field accesses become CO-RE
 * relocations, unless the including program defines {@code BPF_NO_PRESERVE_ACCESS_INDEX}.
 *
 * <p>Functions, variables and data sections are not written: BPF programs declare the kernel functions they call
 * ({@code __ksym}) themselves.
 */
public final class VmlinuxHeaderWriter {
    private static final byte NONE = 0;
    private static final byte DECLARED = 1;
    private static final byte DEFINING = 2;
    private static final byte DEFINED = 3;

    private final Btf btf;
    private final CNames names;
    private final Declarations declarations;
    private final byte[] state;
    private final Set<String> declaredTags = new HashSet<>();
    private final StringBuilder out = new StringBuilder(4 << 20);

    private VmlinuxHeaderWriter(Btf btf) {
        this.btf = btf;
        this.names = new CNames(btf);
        this.declarations = new Declarations(btf, names, new RecordLayout(btf), declTags(btf));
        this.state = new byte[btf.types().size()];
    }

    /**
     * The header for {@code btf}.
     *
     * @param source what the BTF was read from, for the header's first comment (e.g. {@code /sys/kernel/btf/vmlinux})
     */
    public static String write(Btf btf, String source) {
        return new VmlinuxHeaderWriter(btf).render(source);
    }

    private String render(String source) {
        out.append("/* vmlinux.h written by bpf2java from ").append(source.replace("*/", "* /"))
                .append(" (").append(btf.types().size() - 1).append(" BTF types). Do not edit. */\n\n");
        out.append("#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n");
        out.append("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n")
                .append("#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n")
                .append("#endif\n\n");
        tagMacro(Declarations.TYPE_TAG_MACRO, "btf_type_tag");
        tagMacro(Declarations.DECL_TAG_MACRO, "btf_decl_tag");
        int count = btf.types().size();
        for (int id = 1; id < count; id++) {
            BtfType t = btf.type(id);
            if (t instanceof BtfType.Typedef) {
                defineTypedef(id);
            } else if (!t.name().isEmpty() && (t instanceof BtfType.Struct || t instanceof BtfType.Union
                    || t instanceof BtfType.Enum)) {
                define(id);
            } else if (t instanceof BtfType.Forward) {
                declareTag(id);
            }
        }
        for (int id = 1; id < count; id++) {
            if (btf.type(id) instanceof BtfType.Enum e && e.name().isEmpty() && !e.values().isEmpty()
                    && !declarations.enumSpelled(id)) {
                out.append(declarations.enumBody(e, 0)).append(";\n\n");
            }
        }
        out.append("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n");
        out.append("#endif /* __VMLINUX_H__ */\n");
        return out.toString();
    }

    private void tagMacro(String macro, String attribute) {
        out.append("#ifndef ").append(macro).append('\n')
                .append("#if __has_attribute(").append(attribute).append(")\n")
                .append("#define ").append(macro).append("(x) __attribute__((").append(attribute).append("(x)))\n")
                .append("#else\n")
                .append("#define ").append(macro).append("(x)\n")
                .append("#endif\n#endif\n\n");
    }

    /** Writes the definition of named struct, union or enum {@code id}, after everything its body needs. */
    private void define(int id) {
        if (state[id] == DEFINED || state[id] == DEFINING) {
            return; // DEFINING: a record containing itself by value, which valid BTF never has
        }
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Enum e) {
            state[id] = DEFINED;
            if (e.values().isEmpty()) {
                declareTag(id);
                return;
            }
            out.append(declarations.enumBody(e, 0));
            declarations.appendDeclTags(out, id, -1);
            out.append(";\n\n");
            declaredTags.add("enum " + names.of(id));
            return;
        }
        state[id] = DEFINING;
        requireMembers(id, id, new HashSet<>());
        state[id] = DEFINED;
        declaredTags.add(tag(id));
        out.append(declarations.recordBody(id, 0));
        declarations.appendDeclTags(out, id, -1);
        out.append(";\n\n");
    }

    private void defineTypedef(int id) {
        if (state[id] != NONE) {
            return;
        }
        if (btf.type(id).name().startsWith("__builtin_")) {
            // The compiler's own (__builtin_va_list): redefining it is an error, and BPF's is what a program gets.
            state[id] = DEFINED;
            return;
        }
        state[id] = DEFINING;
        BtfType.Typedef td = (BtfType.Typedef) btf.type(id);
        require(td.targetId(), false, -1, new HashSet<>());
        StringBuilder line = new StringBuilder("typedef ")
                .append(declarations.declare(td.targetId(), names.of(id), 0, false));
        declarations.appendDeclTags(line, id, -1);
        out.append(line).append(";\n\n");
        state[id] = DEFINED;
    }

    /** Writes {@code struct S;} for a record or forward declaration unless its tag is already known. */
    private void declareTag(int id) {
        String tag = tag(id);
        if (tag != null && declaredTags.add(tag)) {
            out.append(tag).append(";\n\n");
        }
        if (state[id] == NONE) {
            state[id] = DECLARED;
        }
    }

    private String tag(int id) {
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Struct) {
            return "struct " + names.of(id);
        } else if (t instanceof BtfType.Union) {
            return "union " + names.of(id);
        } else if (t instanceof BtfType.Forward f) {
            return (f.union() ? "union " : "struct ") + names.of(id);
        } else if (t instanceof BtfType.Enum) {
            return "enum " + names.of(id);
        }
        return null;
    }

    private void requireMembers(int recordId, int self, Set<Integer> anonymous) {
        BtfType t = btf.type(recordId);
        List<BtfType.Member> members = t instanceof BtfType.Struct s ? s.members() : ((BtfType.Union) t).members();
        for (BtfType.Member m : members) {
            require(m.typeId(), true, self, anonymous);
        }
    }

    /**
     * Writes what a declaration mentioning type {@code id} needs first: definitions of what it uses by value
     * ({@code complete}), declarations of what it only names. {@code self} is the named record whose body is being
     * written (its tag is in scope inside it); {@code anonymous} guards against loops through anonymous records.
     */
    private void require(int id, boolean complete, int self, Set<Integer> anonymous) {
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Pointer p) {
            require(p.targetId(), false, self, anonymous);
        } else if (t instanceof BtfType.Array a) {
            require(a.elementTypeId(), true, self, anonymous);
        } else if (t instanceof BtfType.Qualifier q) {
            require(q.targetId(), complete, self, anonymous);
        } else if (t instanceof BtfType.FuncProto f) {
            require(f.returnTypeId(), false, self, anonymous);
            for (BtfType.Param p : f.params()) {
                require(p.typeId(), false, self, anonymous);
            }
        } else if (t instanceof BtfType.Typedef td) {
            defineTypedef(id);
            if (complete) {
                require(td.targetId(), true, self, anonymous);
            }
        } else if (t instanceof BtfType.Struct || t instanceof BtfType.Union) {
            if (t.name().isEmpty()) {
                if (anonymous.add(id)) {
                    requireMembers(id, self, anonymous);
                    anonymous.remove(id);
                }
            } else if (id != self) {
                if (complete) {
                    define(id);
                } else if (state[id] != DEFINED) {
                    declareTag(id);
                }
            }
        } else if (t instanceof BtfType.Enum e && !e.name().isEmpty()) {
            define(id);
        } else if (t instanceof BtfType.Forward) {
            declareTag(id);
        }
    }

    private static Map<Integer, Map<Integer, List<BtfType.DeclTag>>> declTags(Btf btf) {
        Map<Integer, Map<Integer, List<BtfType.DeclTag>>> tags = new HashMap<>();
        for (BtfType t : btf.types()) {
            if (t instanceof BtfType.DeclTag tag) {
                BtfType target = btf.type(tag.targetId());
                // Tags of functions, their parameters and variables: none of those is written.
                if (target instanceof BtfType.Struct || target instanceof BtfType.Union
                        || target instanceof BtfType.Typedef) {
                    tags.computeIfAbsent(tag.targetId(), k -> new HashMap<>())
                            .computeIfAbsent(tag.componentIndex(), k -> new ArrayList<>()).add(tag);
                }
            }
        }
        return tags;
    }
}
