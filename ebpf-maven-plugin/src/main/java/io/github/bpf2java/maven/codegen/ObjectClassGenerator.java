package io.github.bpf2java.maven.codegen;

import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.generate.EbpfBuildException;
import io.github.bpf2java.maven.source.BpfSource;
import java.util.List;

/** Generates the Java class for one compiled eBPF object. */
public final class ObjectClassGenerator {
    private final String packageName;
    private final List<String> types;

    public ObjectClassGenerator(String packageName, List<String> types) {
        this.packageName = packageName;
        this.types = List.copyOf(types);
    }

    /** The Java source of the class for {@code source}, read from {@code spec}. */
    public String generate(BpfSource source, ObjectSpec spec, List<Target> targets) throws EbpfBuildException {
        return "package " + packageName + ";\n\n/** " + source.relativePath() + " " + types + " " + spec.name()
                + " " + targets + " */\npublic final class " + source.className() + " {}\n";
    }
}
