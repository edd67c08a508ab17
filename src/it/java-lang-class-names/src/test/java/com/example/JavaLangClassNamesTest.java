package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.ebpf.Counter;
import com.example.ebpf.Describe;
import com.example.ebpf.StringBpf;
import io.github.bpf2java.ebpf.LoadOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** string.c beside counter.c: both classes compile and work, and so does hand-written code in their package. */
class JavaLangClassNamesTest {

    @Test
    void bothClassesReadTheirEmbeddedObjects() {
        assertEquals("handle_exec,remember_comm", Describe.programs());
        assertEquals(1, StringBpf.spec().map("strings").orElseThrow().maxEntries());
    }

    @Test
    void theRecordNamedStringDecodesItsText() {
        ByteBuffer bytes = ByteBuffer.allocate(StringBpf.String.SIZE).order(ByteOrder.nativeOrder());
        bytes.put("bash".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16, 4);
        StringBpf.String value = StringBpf.String.decode(bytes.array());
        assertEquals("bash", value.text());
        assertEquals(4, value.length());
    }

    @Test
    void counterOptionsStillTakeTypedValues() {
        LoadOptions options = Counter.options().targetPid(7).toLoadOptions();
        assertArrayEquals(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(7).array(),
                options.constants().get("target_pid"));
    }
}
