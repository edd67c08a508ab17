package io.github.bpf2java.maven.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyFileTest {

    @Test
    void readsContinuedLinesAndEscapes() {
        String content = "obj.o: src/a.c /usr/include/bpf/bpf_helpers.h \\\n"
                + "  src/my\\ header.h src/odd$$name.h src/hash\\#.h\n";
        List<Path> deps = DependencyFile.parse(content, Path.of("/p"));
        assertEquals(List.of(Path.of("/p/src/a.c"), Path.of("/usr/include/bpf/bpf_helpers.h"),
                Path.of("/p/src/my header.h"), Path.of("/p/src/odd$name.h"), Path.of("/p/src/hash#.h")), deps);
    }

    @Test
    void dropsDuplicatesAndNormalizes() {
        List<Path> deps = DependencyFile.parse("o: a/../b.h b.h\n", Path.of("/p"));
        assertEquals(List.of(Path.of("/p/b.h")), deps);
    }
}
