package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.ebpf.Counter;
import io.github.bpf2java.ebpf.LoadOptions;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Uses the generated class the way an application would, short of loading into the kernel. */
class CounterTest {

    @Test
    void embeddedObjectForThisHostDescribesProgramsMapsAndVariables() {
        ObjectSpec spec = Counter.spec();
        assertEquals(ByteOrder.nativeOrder(), spec.byteOrder());
        assertEquals("tracepoint/syscalls/sys_enter_execve", spec.program("handle_exec").orElseThrow().sectionName());
        assertEquals(1024, spec.map("counts").orElseThrow().maxEntries());
        assertTrue(spec.variable("target_pid").isPresent());
        assertEquals("GPL", spec.license());
    }

    @Test
    void optionsCarryTypedConstantsAndMapSizes() {
        LoadOptions options = Counter.options().targetPid(42).maxEntries("counts", 10).toLoadOptions();
        byte[] expected = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(42).array();
        assertArrayEquals(expected, options.constants().get("target_pid"));
        assertEquals(10, options.maxEntries().get("counts"));
    }
}
