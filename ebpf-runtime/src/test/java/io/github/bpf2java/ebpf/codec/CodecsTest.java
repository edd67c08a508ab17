package io.github.bpf2java.ebpf.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The C scalars, strings, arrays, enums and per-CPU values, byte for byte. */
class CodecsTest {

    /** A C enum as generated classes map it: values, and one constant for the values it does not name. */
    enum Level implements CEnum {
        LOW(1), MID(5), ALSO_LOW(1), HIGH(-3), UNRECOGNIZED(0);

        private final long value;

        Level(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            if (this == UNRECOGNIZED) {
                throw new IllegalStateException("no C value");
            }
            return value;
        }
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void unsignedIntegersKeepTheirBitsInTheJavaTypeOfTheSameWidth() {
        ByteBuffer b = buffer(16);
        b.putInt(0, 0xffff_fffe).put(4, (byte) 0xff).putShort(6, (short) 0xfffe).putLong(8, -1L);
        assertEquals(-2, Codecs.U32.decode(b, 0));
        assertEquals(0xffff_fffeL, Integer.toUnsignedLong(Codecs.U32.decode(b, 0)));
        assertEquals(255, Byte.toUnsignedInt(Codecs.U8.decode(b, 4)));
        assertEquals(65534, Short.toUnsignedInt(Codecs.U16.decode(b, 6)));
        assertEquals("18446744073709551615", Long.toUnsignedString(Codecs.U64.decode(b, 8)));
        assertEquals(4, Codecs.U32.size());
        assertEquals(8, Codecs.S64.size());
    }

    @Test
    void scalarsRoundTripAtTheirOffsetWithoutMovingThePosition() {
        ByteBuffer b = buffer(32);
        b.position(3);
        Codecs.S16.encode((short) -300, b, 2);
        Codecs.F32.encode(1.5f, b, 4);
        Codecs.F64.encode(-2.25, b, 8);
        Codecs.BOOL.encode(true, b, 16);
        Codecs.S8.encode((byte) -1, b, 17);
        Codecs.S64.encode(Long.MIN_VALUE, b, 24);
        assertEquals(3, b.position());
        assertEquals((short) -300, Codecs.S16.decode(b, 2));
        assertEquals(1.5f, Codecs.F32.decode(b, 4));
        assertEquals(-2.25, Codecs.F64.decode(b, 8));
        assertEquals(true, Codecs.BOOL.decode(b, 16));
        assertEquals(1, b.get(16), "true is written as 1");
        b.put(16, (byte) 42);
        assertEquals(true, Codecs.BOOL.decode(b, 16), "any non-zero byte is true");
        assertEquals((byte) -1, Codecs.S8.decode(b, 17));
        assertEquals(Long.MIN_VALUE, Codecs.S64.decode(b, 24));
        assertThrows(IndexOutOfBoundsException.class, () -> Codecs.S64.decode(b, 25));
    }

    @Test
    void theBufferOrderDecides() {
        ByteBuffer big = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(0, 0x01020304);
        assertEquals(0x01020304, Codecs.S32.decode(big, 0));
        assertEquals(0x04030201, Codecs.S32.decode(big.duplicate().order(ByteOrder.LITTLE_ENDIAN), 0));
    }

    @Test
    void stringsReadUpToTheFirstNulAsUtf8() {
        Codec<String> comm = Codecs.string(16);
        ByteBuffer b = buffer(20);
        b.put(2, "bash\0junk".getBytes(StandardCharsets.UTF_8));
        assertEquals("bash", comm.decode(b, 2));
        ByteBuffer full = buffer(4).put(0, "abcd".getBytes(StandardCharsets.UTF_8));
        assertEquals("abcd", Codecs.string(4).decode(full, 0), "no NUL: all bytes");
        ByteBuffer utf8 = buffer(8).put(0, "grüß".getBytes(StandardCharsets.UTF_8));
        assertEquals("grüß", Codecs.string(8).decode(utf8, 0));
        ByteBuffer invalid = buffer(2).put(0, new byte[] {(byte) 0xff, 'x'});
        assertEquals("\ufffdx", Codecs.string(2).decode(invalid, 0), "bytes that are not UTF-8 read as U+FFFD");
    }

    @Test
    void addressesAreReadAndWrittenInNetworkOrderWhateverTheBuffersOrder() throws Exception {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            ByteBuffer b = ByteBuffer.allocate(22).order(order);
            b.put(1, new byte[] {10, 0, 0, 1});
            assertEquals(InetAddress.getByName("10.0.0.1"), Codecs.IPV4_ADDRESS.decode(b, 1), order.toString());
            Codecs.IPV4_ADDRESS.encode((Inet4Address) InetAddress.getByName("192.168.1.2"), b, 1);
            assertArrayEquals(new byte[] {(byte) 192, (byte) 168, 1, 2}, Arrays.copyOfRange(b.array(), 1, 5));

            Inet6Address v6 = (Inet6Address) InetAddress.getByName("2001:db8::7");
            Codecs.IPV6_ADDRESS.encode(v6, b, 6);
            assertEquals(v6, Codecs.IPV6_ADDRESS.decode(b, 6));
            assertEquals(0x20, b.get(6), "network order: the first byte is the address's first");
        }
        // ::ffff:1.2.3.4 would come back from InetAddress as an Inet4Address; the codec keeps it IPv6.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 1;
        Inet6Address decoded = Codecs.IPV6_ADDRESS.decode(ByteBuffer.wrap(mapped), 0);
        assertArrayEquals(mapped, decoded.getAddress());
        assertEquals(4, Codecs.IPV4_ADDRESS.size());
        assertEquals(16, Codecs.IPV6_ADDRESS.size());
        assertThrows(IndexOutOfBoundsException.class, () -> Codecs.IPV4_ADDRESS.decode(ByteBuffer.allocate(3), 0));
    }

    @Test
    void byteArraysHoldingCStringsReadAndWriteAsCharArraysDo() {
        assertEquals("bash", Codecs.cString("bash\0junk".getBytes(StandardCharsets.UTF_8)));
        assertEquals("abcd", Codecs.cString("abcd".getBytes(StandardCharsets.UTF_8)), "no NUL: all bytes");
        assertEquals("", Codecs.cString(new byte[16]));
        assertEquals("\ufffdx", Codecs.cString(new byte[] {(byte) 0xff, 'x', 0}));

        assertArrayEquals(new byte[] {'g', 'r', (byte) 0xc3, (byte) 0xbc, 0, 0}, Codecs.cStringBytes("grü", 6));
        assertEquals("grü", Codecs.cString(Codecs.cStringBytes("grü", 6)));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> Codecs.cStringBytes("grüße", 6));
        assertTrue(tooLong.getMessage().contains("7 bytes in UTF-8; char[6] holds at most 6"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Codecs.cStringBytes("a\0b", 6));
    }

    @Test
    void stringsWriteUtf8PaddedWithNulsAndRefuseWhatDoesNotFit() {
        Codec<String> name = Codecs.string(6);
        ByteBuffer b = buffer(8);
        Arrays.fill(b.array(), (byte) 0x55);
        name.encode("ab", b, 1);
        assertArrayEquals(new byte[] {0x55, 'a', 'b', 0, 0, 0, 0, 0x55}, b.array());
        name.encode("abcdef", b, 1);
        assertEquals("abcdef", name.decode(b, 1), "exactly six bytes fit, without a NUL");
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> name.encode("abcdefg", b, 1));
        assertTrue(tooLong.getMessage().contains("7 bytes in UTF-8; char[6] holds at most 6"), tooLong.getMessage());
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> name.encode("ääää", b, 1));
        assertTrue(wide.getMessage().contains("8 bytes"), wide.getMessage());
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> name.encode("a\0b", b, 1));
        assertTrue(nul.getMessage().contains("NUL"), nul.getMessage());
        assertEquals("abcdef", name.decode(b, 1), "a refused string leaves the bytes as they were");
    }

    @Test
    void primitiveArraysRoundTripAndCheckTheirLength() {
        ByteBuffer b = buffer(64);
        Codecs.ints(3).encode(new int[] {1, -2, 3}, b, 4);
        assertArrayEquals(new int[] {1, -2, 3}, Codecs.ints(3).decode(b, 4));
        Codecs.longs(2).encode(new long[] {-1, 7}, b, 16);
        assertArrayEquals(new long[] {-1, 7}, Codecs.longs(2).decode(b, 16));
        Codecs.shorts(2).encode(new short[] {-5, 6}, b, 32);
        assertArrayEquals(new short[] {-5, 6}, Codecs.shorts(2).decode(b, 32));
        Codecs.floats(1).encode(new float[] {0.5f}, b, 36);
        assertArrayEquals(new float[] {0.5f}, Codecs.floats(1).decode(b, 36));
        Codecs.doubles(1).encode(new double[] {0.25}, b, 40);
        assertArrayEquals(new double[] {0.25}, Codecs.doubles(1).decode(b, 40));
        Codecs.booleans(2).encode(new boolean[] {true, false}, b, 48);
        assertArrayEquals(new boolean[] {true, false}, Codecs.booleans(2).decode(b, 48));
        Codecs.bytes(3).encode(new byte[] {9, 8, 7}, b, 50);
        assertArrayEquals(new byte[] {9, 8, 7}, Codecs.bytes(3).decode(b, 50));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> Codecs.ints(3).encode(new int[] {1, 2}, b, 0));
        assertTrue(wrong.getMessage().contains("exactly 3 elements, got 2"), wrong.getMessage());
        NullPointerException none = assertThrows(NullPointerException.class,
                () -> Codecs.longs(2).encode(null, b, 0));
        assertTrue(none.getMessage().contains("is null: pass an array of 2 elements"), none.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Codecs.longs(8).decode(b, 8));
    }

    @Test
    void multiDimensionalArraysNestRowMajorAsC() {
        Codec<short[][]> grid = Codecs.array(Codecs.shorts(3), 2, short[][]::new);
        assertEquals(12, grid.size());
        ByteBuffer b = buffer(12);
        grid.encode(new short[][] {{1, -2, 3}, {-4, 5, -6}}, b, 0);
        assertEquals(-4, b.getShort(6), "row 1 follows row 0");
        assertArrayEquals(new short[][] {{1, -2, 3}, {-4, 5, -6}}, grid.decode(b, 0));
        Codec<String[]> names = Codecs.array(Codecs.string(2), 3, String[]::new);
        ByteBuffer n = buffer(6).put(0, "a\0bcd\0".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new String[] {"a", "bc", "d"}, names.decode(n, 0));
        assertThrows(IllegalArgumentException.class, () -> grid.encode(new short[][] {{1, 2, 3}}, b, 0));
        assertThrows(NullPointerException.class, () -> names.encode(new String[] {"a", null, "b"}, n, 0));
    }

    @Test
    void enumsMapKnownValuesAndKeepUnknownOnesApart() {
        EnumCodec<Level> level = Codecs.enumeration(4, false, Level.values(), Level.UNRECOGNIZED);
        ByteBuffer b = buffer(4);
        b.putInt(0, 5);
        assertSame(Level.MID, level.decode(b, 0));
        b.putInt(0, 1);
        assertSame(Level.LOW, level.decode(b, 0), "of two names for one value, the first declared");
        b.putInt(0, -3);
        assertSame(Level.UNRECOGNIZED, level.decode(b, 0), "unsigned: 0xfffffffd is not -3");
        assertSame(Level.HIGH, Codecs.enumeration(4, true, Level.values(), Level.UNRECOGNIZED).decode(b, 0));
        b.putInt(0, 12345);
        assertSame(Level.UNRECOGNIZED, level.decode(b, 0));
        level.encode(Level.HIGH, b, 0);
        assertEquals(-3, b.getInt(0));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> level.encode(Level.UNRECOGNIZED, b, 0));
        assertTrue(refused.getMessage().contains("UNRECOGNIZED"), refused.getMessage());
        assertEquals(1, Codecs.enumeration(1, true, Level.values(), Level.UNRECOGNIZED).size());
        assertThrows(IllegalArgumentException.class,
                () -> Codecs.enumeration(3, true, Level.values(), Level.UNRECOGNIZED));
    }

    @Test
    void perCpuValuesTakeOneEightByteAlignedSlotPerCpu() {
        Codec<List<Integer>> perCpu = Codecs.perCpu(Codecs.U32, 3);
        assertEquals(24, perCpu.size());
        ByteBuffer b = buffer(24);
        Arrays.fill(b.array(), (byte) 0x77);
        perCpu.encode(List.of(1, 2, 3), b, 0);
        assertEquals(2, b.getInt(8));
        assertEquals(0, b.getInt(12), "slot padding zeroed");
        assertEquals(List.of(1, 2, 3), perCpu.decode(b, 0));
        assertThrows(IllegalArgumentException.class, () -> perCpu.encode(List.of(1, 2), b, 0));
        assertThrows(UnsupportedOperationException.class, () -> perCpu.decode(b, 0).add(4));
    }

    @Test
    void bytesConvenienceUsesTheHostOrderAndChecksTheLength() {
        byte[] bytes = Codecs.toBytes(Codecs.U32, 0x01020304);
        assertEquals(0x01020304, ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getInt());
        assertEquals(0x01020304, Codecs.fromBytes(Codecs.U32, bytes));
        assertThrows(IllegalArgumentException.class, () -> Codecs.fromBytes(Codecs.U32, new byte[5]));
    }

    @Test
    void zeroClearsExactlyTheRange() {
        ByteBuffer b = buffer(20);
        Arrays.fill(b.array(), (byte) 1);
        Codecs.zero(b, 3, 13);
        for (int i = 0; i < 20; i++) {
            assertEquals(i >= 3 && i < 16 ? 0 : 1, b.get(i), "byte " + i);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> Codecs.zero(b, 10, 11));
    }
}
