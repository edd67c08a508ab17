package io.github.bpf2java.examples.tracepoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.TypedMap;
import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RestoresTracefs;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The generated {@link PageAllocCounter} class, loaded into the running kernel. */
@RestoresTracefs
class PageAllocCounterTest {
    private static final int PAGE = 4096;

    @Test
    void embedsACounterMapAndAPageAllocationTracepoint() {
        ObjectSpec spec = PageAllocCounter.spec();
        ProgramSpec program = spec.programs().get(0);
        assertEquals("count_page_alloc", program.name());
        assertEquals("tracepoint/kmem/mm_page_alloc", program.sectionName());
        assertEquals(Optional.of(ProgramType.TRACEPOINT), program.type());
        MapSpec map = spec.map("page_allocs").orElseThrow();
        assertEquals(MapType.ARRAY, map.type());
        assertEquals(4, map.keySize());
        assertEquals(8, map.valueSize());
        assertEquals(1, map.maxEntries());
    }

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void countsMoreAfterTouchingFreshMemory() throws Exception {
        try (PageAllocCounter counter = PageAllocCounter.load()) {
            TypedMap<Integer, Long> pageAllocs = counter.pageAllocs();
            assertEquals(0, PageAllocCounterMain.count(pageAllocs), "counted before being attached");
            assertEquals(1, counter.attach().links().size());

            long before = PageAllocCounterMain.count(pageAllocs);
            touchFreshPages(4096);
            Process child = new ProcessBuilder("/bin/true").start();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            long after = PageAllocCounterMain.count(pageAllocs);

            assertTrue(after > before, "no page allocation counted: " + before + " before, " + after + " after");
        }
    }

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void mapIsGoneOnceClosed() {
        PageAllocCounter counter = PageAllocCounter.load();
        counter.attach();
        TypedMap<Integer, Long> pageAllocs = counter.pageAllocs();
        counter.close();
        assertThrows(IllegalStateException.class, () -> PageAllocCounterMain.count(pageAllocs));
    }

    /** Writes one byte to each of {@code pages} new pages, which the kernel allocates on first touch. */
    private static void touchFreshPages(int pages) {
        ByteBuffer memory = ByteBuffer.allocateDirect(pages * PAGE);
        for (int i = 0; i < pages; i++) {
            memory.put(i * PAGE, (byte) 1);
        }
    }
}
