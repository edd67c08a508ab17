package io.github.bpf2java.examples.tracepoint;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.BpfProgramInfo;
import io.github.bpf2java.ebpf.junit.BpfTest;
import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RequiresKernel;
import io.github.bpf2java.ebpf.junit.RestoresTracefs;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The same counter through the {@code ebpf-junit} extension: {@code @BpfTest} loads {@link PageAllocCounter} for the
 * test and closes it afterwards (detaching it); the requirements skip the test where it cannot run, or fail it under
 * {@code EBPF_REQUIRE_KERNEL=1}.
 */
@BpfTest(PageAllocCounter.class)
@RestoresTracefs
@RequiresKernel("4.7")
@RequiresCapability(Capability.SYS_ADMIN)
class PageAllocCounterExtensionTest {
    private static final int PAGE = 4096;

    @Test
    void countsPageAllocationsOnceAttached(PageAllocCounter counter, BpfObject object) {
        assertSame(counter.object(), object, "one load per test, shared by both parameters");
        BpfProgramInfo info = counter.countPageAlloc().info();
        assertTrue(info.verifiedInstructions() > 0, info::toString);

        counter.attach();
        long before = PageAllocCounterMain.count(counter.pageAllocs());
        ByteBuffer memory = ByteBuffer.allocateDirect(1024 * PAGE);
        for (int i = 0; i < 1024; i++) {
            memory.put(i * PAGE, (byte) 1);
        }
        long after = PageAllocCounterMain.count(counter.pageAllocs());
        assertTrue(after > before, "no page allocation counted: " + before + " before, " + after + " after");
    }
}
