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
    void groupsSourcesByTheirOwnLeadingIncludes() {
        Map<BpfSource, List<String>> leading = new LinkedHashMap<>();
        BpfSource a = src("/p/a.c");
        BpfSource b = src("/p/b.c");
        BpfSource c = src("/p/c.c");
        leading.put(a, List.of("#include \"vmlinux.h\"", "#include <bpf/bpf_helpers.h>"));
        leading.put(b, List.of("#include <linux/bpf.h>"));
        leading.put(c, List.of("#include \"vmlinux.h\"", "#include <bpf/bpf_helpers.h>"));
        leading.put(src("/p/d.c"), List.of());
        List<SharedIncludes> groups = SharedIncludes.group(leading);
        assertEquals(2, groups.size());
        assertEquals(List.of(a, c), groups.get(0).users());
        assertEquals(Optional.of(Path.of("/p")), groups.get(0).quoteDirectory());
        assertEquals(List.of(b), groups.get(1).users());
        assertEquals(Optional.empty(), groups.get(1).quoteDirectory());
    }

    @Test
    void sharesQuotedIncludesOnlyWithinOneDirectory() {
        Map<BpfSource, List<String>> leading = new LinkedHashMap<>();
        leading.put(src("/p/a.c"), List.of("#include \"vmlinux.h\""));
        leading.put(src("/p/net/b.c"), List.of("#include \"vmlinux.h\""));
        assertEquals(2, SharedIncludes.group(leading).size());
        leading.put(src("/p/x.c"), List.of("#include <vmlinux.h>"));
        leading.put(src("/p/net/y.c"), List.of("#include <vmlinux.h>"));
        assertEquals(3, SharedIncludes.group(leading).size());
    }

    private static BpfSource src(String path) {
        Path p = Path.of(path);
        String base = p.getFileName().toString().replace(".c", "");
        return new BpfSource(p, p.getFileName().toString(), base, base.toUpperCase());
    }
}
