package io.github.bpf2java.examples.tracepoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.BpfMap;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.sys.Tracefs;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generated {@link PageAllocCounter} class, loaded into the running kernel. */
class PageAllocCounterTest {
    private static final int PAGE = 4096;
    private static Tracefs tracefs;

    @BeforeAll
    static void mountTracefs() {
        // Attaching mounts tracefs when needed and leaves it mounted; mounting it here first lets the test unmount
        // it again afterwards (only when it was not mounted before).
        try {
            tracefs = Tracefs.findOrMount();
        } catch (RuntimeException cannotMount) {
            // Not root, or not Linux: the kernel tests skip (or fail) with the reason.
        }
    }

    @AfterAll
    static void unmountWhatWeMounted() {
        if (tracefs != null) {
            tracefs.unmount();
        }
    }

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
    void countsMoreAfterTouchingFreshMemory() throws Exception {
        KernelPreconditions.requireRootOnLinux();
        try (PageAllocCounter counter = PageAllocCounter.load()) {
            BpfMap pageAllocs = counter.pageAllocs();
            assertEquals(0, PageAllocCounterMain.count(pageAllocs), "counted before being attached");
            assertEquals(1, counter.attach().size());

            long before = PageAllocCounterMain.count(pageAllocs);
            touchFreshPages(4096);
            Process child = new ProcessBuilder("/bin/true").start();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            long after = PageAllocCounterMain.count(pageAllocs);

            assertTrue(after > before, "no page allocation counted: " + before + " before, " + after + " after");
        }
    }

    @Test
    void mapIsGoneOnceClosed() {
        KernelPreconditions.requireRootOnLinux();
        PageAllocCounter counter = PageAllocCounter.load();
        counter.attach();
        BpfMap pageAllocs = counter.pageAllocs();
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
