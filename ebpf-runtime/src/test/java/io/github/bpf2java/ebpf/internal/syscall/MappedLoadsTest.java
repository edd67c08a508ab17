package io.github.bpf2java.ebpf.internal.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The loads the event readers take their headers with: that the fast path is the one in use where it should be (a
 * silent fallback would only show as a slower benchmark), and that both paths read what the buffer holds. The
 * readers' kernel tests check every byte of real records on top; the build runs these on JDK 17 (Unsafe) and, with
 * {@code EBPF_TEST_JDK}, on a JDK 23+ (the buffer).
 */
class MappedLoadsTest {
    @Test
    void unsafeIsUsedBeforeJdk23UnlessDisabled() {
        boolean expected = Runtime.version().feature() < 23
                && !"false".equalsIgnoreCase(System.getProperty(MappedLoads.PROPERTY));
        assertEquals(expected, MappedLoads.usesUnsafe(), "JDK " + Runtime.version());
    }

    @Test
    void everyIndexReadsWhatTheBufferHolds() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) (i * 37 + 11));
        }
        ByteBuffer readOnly = buffer.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        long address = NativeBuffer.addressOf(buffer);
        for (int i = 0; i + Integer.BYTES <= buffer.capacity(); i++) {
            assertEquals(buffer.getInt(i), MappedLoads.getInt(readOnly, address, i), "int at " + i);
        }
        for (int i = 0; i + Short.BYTES <= buffer.capacity(); i++) {
            assertEquals(buffer.getShort(i), MappedLoads.getShort(readOnly, address, i), "short at " + i);
        }
    }
}
