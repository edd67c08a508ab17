package io.github.bpf2java.maven.pch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpf2java.maven.source.BpfSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeadingIncludesTest {

    @Test
    void collectsIncludesBeforeTheFirstOtherLineSkippingComments() {
        String source = "// SPDX-License-Identifier: GPL-2.0\n/* a\n comment */\n#include \"vmlinux.h\"\n\n"
                + "#  include <bpf/bpf_helpers.h> // helpers\n#define X 1\n#include <bpf/bpf_tracing.h>\n";
        assertEquals(List.of("#include \"vmlinux.h\"", "#include <bpf/bpf_helpers.h>"), LeadingIncludes.of(source));
    }

    @Test
    void givesEachSourceTheLongestRunItSharesWithAnother() {
        Map<BpfSource, List<String>> leading = new LinkedHashMap<>();
        BpfSource a = src("/p/a.c");
        BpfSource b = src("/p/b.c");
        BpfSource c = src("/p/c.c");
        BpfSource d = src("/p/d.c");
        BpfSource e = src("/p/e.c");
        String vmlinux = "#include \"vmlinux.h\"";
        String helpers = "#include <bpf/bpf_helpers.h>";
        leading.put(a, List.of(vmlinux, helpers, "#include \"a.h\""));
        leading.put(b, List.of(vmlinux, helpers, "#include \"b.h\""));
        leading.put(c, List.of(vmlinux));
        leading.put(d, List.of("#include <linux/bpf.h>"));
        leading.put(e, List.of());
        List<SharedIncludes> groups = SharedIncludes.group(leading);
        assertEquals(2, groups.size());
        assertEquals(List.of(vmlinux, helpers), groups.get(0).lines());
        assertEquals(List.of(a, b), groups.get(0).users());
        assertEquals(Optional.of(Path.of("/p")), groups.get(0).quoteDirectory());
        assertEquals(List.of(vmlinux), groups.get(1).lines());
        assertEquals(List.of(c), groups.get(1).users());
    }

    @Test
    void sharesQuotedIncludesOnlyWithinOneDirectory() {
        Map<BpfSource, List<String>> leading = new LinkedHashMap<>();
        leading.put(src("/p/a.c"), List.of("#include \"vmlinux.h\""));
        leading.put(src("/p/net/b.c"), List.of("#include \"vmlinux.h\""));
        assertEquals(List.of(), SharedIncludes.group(leading));
        leading.put(src("/p/x.c"), List.of("#include <vmlinux.h>"));
        leading.put(src("/p/net/y.c"), List.of("#include <vmlinux.h>"));
        SharedIncludes only = SharedIncludes.group(leading).get(0);
        assertEquals(2, only.users().size());
        assertEquals(Optional.empty(), only.quoteDirectory());
    }

    private static BpfSource src(String path) {
        Path p = Path.of(path);
        String base = p.getFileName().toString().replace(".c", "");
        return new BpfSource(p, p.getFileName().toString(), base, base.toUpperCase());
    }
}
