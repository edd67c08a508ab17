package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.ebpf.OptionsBpf;
import io.github.bpf2java.ebpf.LoadOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** options.c gets the class OptionsBpf, whose nested Options sets its global before load. */
class OptionsBpfTest {

    @Test
    void nestedOptionsSetTheGlobal() {
        OptionsBpf.Options options = OptionsBpf.options().verbosity(2);
        LoadOptions load = options.toLoadOptions();
        assertArrayEquals(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(2).array(),
                load.constants().get("verbosity"));
        assertEquals("xdp", OptionsBpf.spec().program("pass_with_options").orElseThrow().sectionName());
    }
}
