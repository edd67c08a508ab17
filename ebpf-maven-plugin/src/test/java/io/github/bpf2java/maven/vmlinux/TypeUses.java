package io.github.bpf2java.maven.vmlinux;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import java.util.function.Predicate;

/**
 * A C file that uses every named type of a BTF, so that clang's BTF of the compiled file holds all of them: a global
 * of each struct, union, enum and typedef (a pointer where the type cannot be an object: a function type, void, a
 * forward declaration).
 */
final class TypeUses {
    private TypeUses() {}

    /**
     * The file's text; it includes {@code header}, and uses a type only if {@code available} accepts its C name.
     */
    static String source(Btf btf, String header, Predicate<String> available) {
        CNames names = new CNames(btf);
        StringBuilder out = new StringBuilder("#include \"").append(header).append("\"\n\n");
        int n = 0;
        for (BtfType t : btf.types()) {
            String spelled;
            if (t.name().isEmpty() || t.name().startsWith("__builtin_")) {
                continue;
            } else if (t instanceof BtfType.Struct) {
                spelled = "struct " + names.of(t.id());
            } else if (t instanceof BtfType.Union) {
                spelled = "union " + names.of(t.id());
            } else if (t instanceof BtfType.Enum e && !e.values().isEmpty()) {
                spelled = "enum " + names.of(t.id());
            } else if (t instanceof BtfType.Typedef) {
                spelled = names.of(t.id());
            } else {
                continue;
            }
            if (!available.test(names.of(t.id()))) {
                continue;
            }
            BtfType resolved = btf.resolve(t.id());
            boolean object = !(resolved instanceof BtfType.Void || resolved instanceof BtfType.FuncProto
                    || resolved instanceof BtfType.Forward
                    || resolved instanceof BtfType.Enum e && e.values().isEmpty());
            out.append(spelled).append(object ? " " : " *").append("bpf2java_use_").append(n++).append(";\n");
        }
        return out.toString();
    }
}
