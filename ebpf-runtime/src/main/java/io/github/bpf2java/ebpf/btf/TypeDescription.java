package io.github.bpf2java.ebpf.btf;

import io.github.bpf2java.ebpf.btf.BtfType.DataSection;
import io.github.bpf2java.ebpf.btf.BtfType.DeclTag;
import io.github.bpf2java.ebpf.btf.BtfType.Enum;
import io.github.bpf2java.ebpf.btf.BtfType.Forward;
import io.github.bpf2java.ebpf.btf.BtfType.Func;
import io.github.bpf2java.ebpf.btf.BtfType.FuncProto;
import io.github.bpf2java.ebpf.btf.BtfType.Param;
import io.github.bpf2java.ebpf.btf.BtfType.Qualifier;
import io.github.bpf2java.ebpf.btf.BtfType.QualifierKind;
import io.github.bpf2java.ebpf.btf.BtfType.Struct;
import io.github.bpf2java.ebpf.btf.BtfType.Union;
import io.github.bpf2java.ebpf.btf.BtfType.Var;
import java.util.Locale;

/**
 * Spells one BTF type the way C declares it, for {@link Btf#describe(int)}. The spelling is written depth-first into
 * one buffer under three bounds, so that the work per call is constant whatever the type graph: at most
 * {@link #MAX_DEPTH} references deep ({@code ...} beyond), at most {@link #MAX_LENGTH} characters (cut with
 * {@code ...}) and at most {@link #MAX_VISITS} types visited. A type met again on its own path, such as a function
 * pointer whose prototype returns or takes that same pointer, is spelled {@code <loop>}: without these bounds such a
 * graph branches at every level and a naive walk takes exponential time.
 */
final class TypeDescription {
    /** References followed from the described type before {@code ...} stands for the rest. */
    static final int MAX_DEPTH = 32;
    /** Characters of a description; longer ones are cut and end with {@code ...}. */
    static final int MAX_LENGTH = 512;
    /** Types visited for one description. */
    static final int MAX_VISITS = 256;
    private static final String CUT = "...";

    private final Btf btf;
    private final StringBuilder out = new StringBuilder(32);
    private final int[] path = new int[MAX_DEPTH + 1];
    private int depth;
    private int visits;
    private boolean cut;

    private TypeDescription(Btf btf) {
        this.btf = btf;
    }

    /** The spelling of type {@code id} of {@code btf}. */
    static String of(Btf btf, int id) {
        TypeDescription d = new TypeDescription(btf);
        d.type(id);
        if (d.out.length() > MAX_LENGTH) {
            d.out.setLength(MAX_LENGTH);
            d.cut = true;
        }
        return d.cut ? d.out.append(CUT).toString() : d.out.toString();
    }

    private boolean full() {
        if (out.length() >= MAX_LENGTH || visits >= MAX_VISITS) {
            cut = true;
        }
        return cut;
    }

    private void type(int id) {
        if (full()) {
            return;
        }
        if (depth > MAX_DEPTH) {
            out.append(CUT);
            return;
        }
        for (int i = 0; i < depth; i++) {
            if (path[i] == id) {
                out.append("<loop>");
                return;
            }
        }
        visits++;
        path[depth++] = id;
        try {
            spell(btf.type(id));
        } finally {
            depth--;
        }
    }

    private void spell(BtfType t) {
        if (t instanceof Struct s) {
            out.append("struct ").append(s.name().isEmpty() ? "{...}" : s.name());
        } else if (t instanceof Union u) {
            out.append("union ").append(u.name().isEmpty() ? "{...}" : u.name());
        } else if (t instanceof Enum e) {
            out.append("enum ").append(e.name().isEmpty() ? "{...}" : e.name());
        } else if (t instanceof Forward f) {
            out.append(f.union() ? "union " : "struct ").append(f.name());
        } else if (t instanceof BtfType.Pointer p) {
            if (btf.type(p.targetId()) instanceof FuncProto fp) {
                type(fp.returnTypeId());
                out.append(" (*)(");
                params(fp);
                out.append(')');
            } else {
                type(p.targetId());
                out.append(endsWithStar() ? "*" : " *");
            }
        } else if (t instanceof BtfType.Array a) {
            array(a);
        } else if (t instanceof Qualifier q) {
            int start = out.length();
            type(q.targetId());
            if (q.kind() != QualifierKind.TYPE_TAG) {
                String word = q.kind().name().toLowerCase(Locale.ROOT);
                if (endsWithStar() && out.length() > start) {
                    out.append(' ').append(word);
                } else {
                    out.insert(start, word + " ");
                }
            }
        } else if (t instanceof FuncProto fp) {
            type(fp.returnTypeId());
            out.append(" (");
            params(fp);
            out.append(')');
        } else if (t instanceof Func f) {
            if (btf.type(f.protoId()) instanceof FuncProto fp) {
                type(fp.returnTypeId());
                out.append(' ').append(f.name()).append('(');
                params(fp);
                out.append(')');
            } else {
                out.append(f.name()).append("()");
            }
        } else if (t instanceof Var v) {
            type(v.typeId());
            out.append(' ').append(v.name());
        } else if (t instanceof DataSection d) {
            out.append("SEC(\"").append(d.name()).append("\")");
        } else if (t instanceof DeclTag d) {
            out.append("__attribute__((btf_decl_tag(\"").append(d.name()).append("\"))) ");
            type(d.targetId());
        } else {
            // void, integers, floats and typedefs are spelled by their names.
            out.append(t.name());
        }
    }

    /** {@code elem[n][m]}: the dimensions of nested arrays follow the innermost element type. */
    private void array(BtfType.Array a) {
        StringBuilder dims = new StringBuilder();
        dims.append('[').append(Integer.toUnsignedLong(a.length())).append(']');
        int elem = a.elementTypeId();
        for (int guard = 0; guard < MAX_DEPTH && btf.type(elem) instanceof BtfType.Array inner; guard++) {
            dims.append('[').append(Integer.toUnsignedLong(inner.length())).append(']');
            elem = inner.elementTypeId();
        }
        type(elem);
        out.append(dims);
    }

    private void params(FuncProto fp) {
        if (fp.params().isEmpty()) {
            out.append("void");
            return;
        }
        boolean first = true;
        for (Param p : fp.params()) {
            if (full()) {
                return;
            }
            if (!first) {
                out.append(", ");
            }
            first = false;
            if (p.typeId() == 0 && p.name().isEmpty()) {
                out.append(CUT); // C's variadic "..."
            } else {
                type(p.typeId());
            }
        }
    }

    private boolean endsWithStar() {
        return out.length() > 0 && out.charAt(out.length() - 1) == '*';
    }
}
