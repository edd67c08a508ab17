package io.github.bpf2java.ebpf.internal.asm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A mutable copy of a sequence of BPF instructions in one byte order, read and patched field by field. The
 * register byte puts the destination in the low nibble on little-endian targets and in the high nibble on
 * big-endian ones, which is why every access goes through here rather than through raw byte arithmetic.
 */
public final class Instructions {
    private final ByteBuffer buffer;

    private Instructions(byte[] bytes, ByteOrder order) {
        if (bytes.length % Opcodes.INSTRUCTION_SIZE != 0) {
            throw new IllegalArgumentException(
                    "instruction bytes must be a multiple of 8, got " + bytes.length);
        }
        this.buffer = ByteBuffer.wrap(bytes).order(order);
    }

    /** A patchable copy of {@code bytes}. */
    public static Instructions copyOf(byte[] bytes, ByteOrder order) {
        return new Instructions(bytes.clone(), order);
    }

    /** {@code count} zeroed instruction slots. */
    public static Instructions allocate(int count, ByteOrder order) {
        return new Instructions(new byte[Math.multiplyExact(count, Opcodes.INSTRUCTION_SIZE)], order);
    }

    /** The byte order of the encoding. */
    public ByteOrder order() {
        return buffer.order();
    }

    /** Number of 8-byte slots. */
    public int count() {
        return buffer.capacity() / Opcodes.INSTRUCTION_SIZE;
    }

    /** Copies {@code source} into this sequence starting at slot {@code index}. */
    public void put(int index, Instructions source) {
        if (source.order() != order()) {
            throw new IllegalArgumentException("cannot mix byte orders " + source.order() + " and " + order());
        }
        checkIndex(index + source.count() - 1);
        System.arraycopy(source.buffer.array(), 0, buffer.array(), index * Opcodes.INSTRUCTION_SIZE,
                source.buffer.capacity());
    }

    public int opcode(int index) {
        return buffer.get(at(index)) & 0xff;
    }

    public void setOpcode(int index, int opcode) {
        buffer.put(at(index), (byte) opcode);
    }

    public int destinationRegister(int index) {
        int regs = buffer.get(at(index) + 1) & 0xff;
        return littleEndian() ? regs & 0x0f : regs >>> 4;
    }

    public int sourceRegister(int index) {
        int regs = buffer.get(at(index) + 1) & 0xff;
        return littleEndian() ? regs >>> 4 : regs & 0x0f;
    }

    public void setSourceRegister(int index, int register) {
        if (register < 0 || register > 15) {
            throw new IllegalArgumentException("register out of range: " + register);
        }
        int dst = destinationRegister(index);
        int regs = littleEndian() ? (register << 4) | dst : (dst << 4) | register;
        buffer.put(at(index) + 1, (byte) regs);
    }

    /** Sets both register nibbles of slot {@code index}. */
    public void setRegisters(int index, int destination, int source) {
        if (destination < 0 || destination > 15 || source < 0 || source > 15) {
            throw new IllegalArgumentException("register out of range: " + destination + ", " + source);
        }
        int regs = littleEndian() ? (source << 4) | destination : (destination << 4) | source;
        buffer.put(at(index) + 1, (byte) regs);
    }

    public short offset(int index) {
        return buffer.getShort(at(index) + 2);
    }

    public void setOffset(int index, short offset) {
        buffer.putShort(at(index) + 2, offset);
    }

    public int immediate(int index) {
        return buffer.getInt(at(index) + 4);
    }

    public void setImmediate(int index, int value) {
        buffer.putInt(at(index) + 4, value);
    }

    /** Whether slot {@code index} starts an {@code ld_imm64} (which occupies it and the next slot). */
    public boolean isLoadImm64(int index) {
        return opcode(index) == Opcodes.LD_IMM64;
    }

    /** Sets the 64-bit immediate of the {@code ld_imm64} at {@code index}. */
    public void setImmediate64(int index, long value) {
        checkIndex(index + 1);
        setImmediate(index, (int) value);
        setImmediate(index + 1, (int) (value >>> 32));
    }

    /** The encoded bytes, in {@link #order()}. */
    public byte[] toByteArray() {
        return buffer.array().clone();
    }

    private boolean littleEndian() {
        return buffer.order() == ByteOrder.LITTLE_ENDIAN;
    }

    private int at(int index) {
        checkIndex(index);
        return index * Opcodes.INSTRUCTION_SIZE;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= count()) {
            throw new IndexOutOfBoundsException("instruction " + index + " outside 0.." + (count() - 1));
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Instructions that && that.order() == order()
                && Arrays.equals(that.buffer.array(), buffer.array());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(buffer.array());
    }

    @Override
    public String toString() {
        return "Instructions[" + count() + " slots, " + order() + "]";
    }
}
