package io.github.bpf2java.ebpf.internal.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ObjectNameTest {
    @Test
    void replacesCharactersTheKernelRefuses() {
        assertEquals("my_map.bss", ObjectName.sanitize("my-map.bss"));
        assertEquals("___b", ObjectName.sanitize("ä/ b"));
    }

    @Test
    void truncatesToFifteenCharactersAndNulTerminates() {
        assertEquals("abcdefghijklmno", ObjectName.sanitize("abcdefghijklmnopqrstuvwxyz"));
        byte[] field = ObjectName.field("abcdefghijklmnopqrstuvwxyz");
        assertEquals(16, field.length);
        assertEquals(0, field[15]);
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(ObjectName.field("abc"), 3));
        assertEquals(0, ObjectName.field("abc")[3]);
    }
}
