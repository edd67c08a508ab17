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
    void choosesTheRunMostSourcesShareThenTheLongest() {
        Map<BpfSource, List<String>> leading = new LinkedHashMap<>();
        leading.put(src("/p/a.c"), List.of("#include \"vmlinux.h\"", "#include <bpf/bpf_helpers.h>", "#include <x.h>"));
        leading.put(src("/p/b.c"), List.of("#include \"vmlinux.h\"", "#include <bpf/bpf_helpers.h>"));
        leading.put(src("/p/c.c"), List.of("#include \"vmlinux.h\"", "#include <bpf/bpf_helpers.h>", "#include <y.h>"));
        leading.put(src("/p/d.c"), List.of("#include <linux/bpf.h>"));
        SharedIncludes shared = SharedIncludes.choose(leading).orElseThrow();
        assertEquals(List.of("#include \"vmlinux.h\"", "#include <bpf/bpf_helpers.h>"), shared.lines());
        assertEquals(3, shared.users().size());
        assertEquals(Optional.of(Path.of("/p")), shared.quoteDirectory());
    }

    @Test
    void sharesQuotedIncludesOnlyWithinOneDirectory() {
        Map<BpfSource, List<String>> leading = new LinkedHashMap<>();
        leading.put(src("/p/a.c"), List.of("#include \"vmlinux.h\""));
        leading.put(src("/p/net/b.c"), List.of("#include \"vmlinux.h\""));
        assertEquals(Optional.empty(), SharedIncludes.choose(leading));
    }

    private static BpfSource src(String path) {
        Path p = Path.of(path);
        String base = p.getFileName().toString().replace(".c", "");
        return new BpfSource(p, p.getFileName().toString(), base, base.toUpperCase());
    }
}
