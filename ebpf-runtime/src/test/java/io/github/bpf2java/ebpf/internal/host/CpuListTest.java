package io.github.bpf2java.ebpf.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BpfException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuListTest {
    @Test
    void parsesRangesAndSingleCpus() {
        assertEquals(List.of(0, 1, 2, 3, 5, 7, 8), CpuList.parse("0-3,5,7-8\n").cpus());
        assertEquals(List.of(0), CpuList.parse("0").cpus());
        assertEquals(List.of(), CpuList.parse("").cpus());
        assertEquals(4, CpuList.parse("0-3").count());
    }

    @Test
    void rejectsMalformedLists() {
        BpfException backwards = assertThrows(BpfException.class, () -> CpuList.parse("3-1"));
        assertTrue(backwards.getMessage().contains("'3-1'"), backwards.getMessage());
        assertThrows(BpfException.class, () -> CpuList.parse("0-"));
        assertThrows(BpfException.class, () -> CpuList.parse("a"));
        assertThrows(BpfException.class, () -> CpuList.parse("0-1-2"));
        assertThrows(BpfException.class, () -> CpuList.parse("2,1"));
        assertThrows(BpfException.class, () -> CpuList.parse("0,,1"));
    }

    @Test
    void possibleCpusIncludeTheOnlineOnes() {
        List<Integer> possible = CpuList.possible().cpus();
        assertTrue(possible.containsAll(CpuList.online().cpus()));
        assertTrue(possible.size() >= Runtime.getRuntime().availableProcessors(),
                "the JVM cannot see more CPUs than are possible: " + possible);
    }
}
