package io.github.bpf2java.ebpf.internal.ringbuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ring buffer facts the loader's size check and the readers rely on, without a kernel. */
class RingBufferLayoutTest {
    private static final int PAGE = 4096;

    @Test
    void validSizesArePowerOfTwoMultiplesOfThePage() {
        assertTrue(RingBufferLayout.isValidSize(4096, PAGE));
        assertTrue(RingBufferLayout.isValidSize(256 * 1024, PAGE));
        assertFalse(RingBufferLayout.isValidSize(0, PAGE));
        assertFalse(RingBufferLayout.isValidSize(2048, PAGE), "a power of two below the page");
        assertFalse(RingBufferLayout.isValidSize(3 * 4096, PAGE), "a multiple of the page, not a power of two");
        assertFalse(RingBufferLayout.isValidSize(4096, 65536), "4 KiB on a machine with 64 KiB pages");
    }

    @Test
    void nearestValidSizesBracketAnInvalidOne() {
        assertArrayEquals(new long[] {8192, 16384}, RingBufferLayout.nearestValidSizes(10_000, PAGE));
        assertArrayEquals(new long[] {4096}, RingBufferLayout.nearestValidSizes(100, PAGE));
        assertArrayEquals(new long[] {4096, 8192}, RingBufferLayout.nearestValidSizes(4097, PAGE));
        assertArrayEquals(new long[] {65536}, RingBufferLayout.nearestValidSizes(4096, 65536));
        assertArrayEquals(new long[] {8192}, RingBufferLayout.nearestValidSizes(8192, PAGE));
    }

    @Test
    void recordsTakeTheirLengthRoundedUpToEightPlusTheHeader() {
        assertEquals(8, RingBufferLayout.footprint(0));
        assertEquals(16, RingBufferLayout.footprint(1));
        assertEquals(16, RingBufferLayout.footprint(8));
        assertEquals(24, RingBufferLayout.footprint(9));
        assertEquals(1 << 31, RingBufferLayout.BUSY_BIT);
        assertEquals(1 << 30, RingBufferLayout.DISCARD_BIT);
    }
}
