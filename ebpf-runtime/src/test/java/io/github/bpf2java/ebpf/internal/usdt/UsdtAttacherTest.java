package io.github.bpf2java.ebpf.internal.usdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.internal.elf.StapsdtNotes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsdtAttacherTest {

    @Test
    void aMissingProbeAmongHundredsSuggestsAFewLikeItNotAll() {
        // A libjvm has some 550 probes: most of them hotspot_jni entries and returns.
        List<StapsdtNotes.Probe> all = new ArrayList<>();
        for (int i = 0; i < 270; i++) {
            all.add(probe("hotspot_jni", "Call" + i + "__entry"));
            all.add(probe("hotspot_jni", "Call" + i + "__return"));
        }
        for (String name : List.of("gc__begin", "gc__end", "thread__start", "thread__stop", "class__loaded")) {
            all.add(probe("hotspot", name));
        }
        String hint = UsdtAttacher.probesLike(all, "hotspot", "gc__beginning");
        assertTrue(hint.startsWith("probes like hotspot:gc__beginning: [hotspot:gc__begin, hotspot:gc__end, "), hint);
        assertTrue(hint.endsWith(" and 537 more (readelf -n lists them)"), hint);
        assertTrue(hint.length() < 300, hint);

        assertEquals("its probes: [app:done, app:start]", UsdtAttacher.probesLike(
                List.of(probe("app", "start"), probe("app", "done"), probe("app", "start")), "app", "stop"));
    }

    private static StapsdtNotes.Probe probe(String provider, String name) {
        return new StapsdtNotes.Probe(provider, name, 0x1000, 0x1000, 0, "");
    }
}
