package io.github.bpf2java.ebpf.internal.asm;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;

/**
 * Which instructions of a function can run, given the constants written into it: a conditional jump whose operands
 * are known takes one way only, as the verifier decides when it drops dead code. What makes this worth doing is
 * CO-RE: {@code bpf_core_field_exists()} and its kin become {@code r1 = 0} or {@code r1 = 1} once relocated, and
 * the branch that reads a field the kernel does not have is then never taken.
 *
 * <p>Only constants moved into registers are tracked ({@code mov} of an immediate, {@code ld_imm64} of a plain
 * number, and ALU operations on known values); a load, a call (which clobbers {@code r0}-{@code r5}) or anything
 * not understood makes a register unknown, and a jump on an unknown register goes both ways. So the answer errs
 * one way only: an instruction reported unreachable cannot run, one reported reachable may or may not.
 *
 * <p>Internal: part of the instruction tooling, not of the stable API.
 */
public final class Reachability {
    private static final int REGISTERS = 11;
    private static final int SOURCE_REGISTER = 0x08;
    // ALU operations (BPF_OP) this tracks.
    private static final int ADD = 0x00;
    private static final int SUB = 0x10;
    private static final int MUL = 0x20;
    private static final int OR = 0x40;
    private static final int AND = 0x50;
    private static final int LSH = 0x60;
    private static final int RSH = 0x70;
    private static final int NEG = 0x80;
    private static final int XOR = 0xa0;
    private static final int MOV = 0xb0;
    private static final int ARSH = 0xc0;
    // Jump operations.
    private static final int JA = 0x00;
    private static final int JEQ = 0x10;
    private static final int JGT = 0x20;
    private static final int JGE = 0x30;
    private static final int JSET = 0x40;
    private static final int JNE = 0x50;
    private static final int JSGT = 0x60;
    private static final int JSGE = 0x70;
    private static final int JCALL = 0x80;
    private static final int JEXIT = 0x90;
    private static final int JLT = 0xa0;
    private static final int JLE = 0xb0;
    private static final int JSLT = 0xc0;
    private static final int JSLE = 0xd0;
    private static final int ATOMIC_MODE = 0xc0;

    private Reachability() {}

    /**
     * The instructions of {@code code} (a function, entered at slot 0) that can run; the second slot of an
     * {@code ld_imm64} is never set. All of them when the code jumps outside itself, which no valid function does.
     */
    public static BitSet reachable(Instructions code) {
        int count = code.count();
        Known[] states = new Known[count];
        BitSet reached = new BitSet(count);
        Deque<Integer> work = new ArrayDeque<>();
        states[0] = Known.nothing();
        work.add(0);
        // Each revisit loses at least one known register, so every slot is processed at most REGISTERS + 1 times.
        while (!work.isEmpty()) {
            int at = work.poll();
            reached.set(at);
            Known in = states[at].copy();
            int opcode = code.opcode(at);
            int[] next = step(code, at, opcode, in);
            if (next == null) {
                return all(count);
            }
            for (int successor : next) {
                if (successor < 0 || successor >= count) {
                    return all(count);
                }
                if (states[successor] == null) {
                    states[successor] = in.copy();
                    work.add(successor);
                } else if (states[successor].meet(in)) {
                    work.add(successor);
                }
            }
        }
        return reached;
    }

    private static BitSet all(int count) {
        BitSet all = new BitSet(count);
        all.set(0, count);
        return all;
    }

    /**
     * Applies the instruction at {@code at} to {@code state} and returns where execution goes next (none after an
     * exit); null when the instruction is cut off (an {@code ld_imm64} in the last slot).
     */
    private static int[] step(Instructions code, int at, int opcode, Known state) {
        int dst = code.destinationRegister(at);
        int src = code.sourceRegister(at);
        switch (Opcodes.instructionClass(opcode)) {
            case Opcodes.CLASS_LD -> {
                if (opcode == Opcodes.LD_IMM64) {
                    if (at + 1 >= code.count()) {
                        return null;
                    }
                    long value = (code.immediate(at) & 0xffffffffL) | ((long) code.immediate(at + 1) << 32);
                    state.set(dst, src == 0, value);
                    return new int[] {at + 2};
                }
                state.clobberCallerSaved(); // legacy packet loads: r0 and the scratch registers
                return new int[] {at + 1};
            }
            case Opcodes.CLASS_LDX -> {
                state.forget(dst);
                return new int[] {at + 1};
            }
            case Opcodes.CLASS_ST -> {
                return new int[] {at + 1};
            }
            case Opcodes.CLASS_STX -> {
                if ((opcode & 0xe0) == ATOMIC_MODE) { // fetching atomics write the source register, cmpxchg r0
                    state.forget(src);
                    state.forget(0);
                }
                return new int[] {at + 1};
            }
            case Opcodes.CLASS_ALU, Opcodes.CLASS_ALU64 -> {
                alu(code, at, opcode, dst, src, state, Opcodes.instructionClass(opcode) == Opcodes.CLASS_ALU64);
                return new int[] {at + 1};
            }
            default -> {
                return jump(code, at, opcode, dst, src, state);
            }
        }
    }

    private static void alu(Instructions code, int at, int opcode, int dst, int src, Known state, boolean wide) {
        int op = opcode & 0xf0;
        boolean fromRegister = (opcode & SOURCE_REGISTER) != 0;
        // A move with a non-zero offset sign-extends (movsx), and a division by zero has rules of its own: neither
        // is tracked, nor are byte swaps.
        boolean operandKnown = !fromRegister || state.isKnown(src);
        long operand = !operandKnown ? 0 : fromRegister ? state.value(src) : code.immediate(at); // sign-extended
        if (op == MOV) {
            boolean plain = code.offset(at) == 0;
            state.set(dst, plain && operandKnown, wide ? operand : operand & 0xffffffffL);
            return;
        }
        if (!state.isKnown(dst) || !operandKnown) {
            state.forget(dst);
            return;
        }
        long a = state.value(dst);
        long result;
        switch (op) {
            case ADD -> result = a + operand;
            case SUB -> result = a - operand;
            case MUL -> result = a * operand;
            case OR -> result = a | operand;
            case AND -> result = a & operand;
            case XOR -> result = a ^ operand;
            case NEG -> result = -a;
            case LSH -> result = wide ? a << (operand & 63) : (long) ((int) a << (operand & 31));
            case RSH -> result = wide ? a >>> (operand & 63) : (a & 0xffffffffL) >>> (operand & 31);
            case ARSH -> result = wide ? a >> (operand & 63) : (long) ((int) a >> (operand & 31));
            default -> {
                state.forget(dst);
                return;
            }
        }
        state.set(dst, true, wide ? result : result & 0xffffffffL);
    }

    private static int[] jump(Instructions code, int at, int opcode, int dst, int src, Known state) {
        int op = opcode & 0xf0;
        boolean narrow = Opcodes.instructionClass(opcode) == Opcodes.CLASS_JMP32;
        if (op == JCALL) {
            state.clobberCallerSaved();
            return new int[] {at + 1};
        }
        if (op == JEXIT) {
            return new int[0];
        }
        if (op == JA) {
            // BPF_JMP32 | BPF_JA (gotol) takes its offset from the immediate.
            return new int[] {at + 1 + (narrow ? code.immediate(at) : code.offset(at))};
        }
        int taken = at + 1 + code.offset(at);
        boolean fromRegister = (opcode & SOURCE_REGISTER) != 0;
        if (!state.isKnown(dst) || (fromRegister && !state.isKnown(src))) {
            return new int[] {at + 1, taken};
        }
        long a = state.value(dst);
        long b = fromRegister ? state.value(src) : code.immediate(at);
        if (narrow) {
            a = (int) a;
            b = (int) b;
        }
        Boolean jumps = compare(op, a, b, narrow);
        if (jumps == null) {
            return new int[] {at + 1, taken};
        }
        return new int[] {jumps ? taken : at + 1};
    }

    /** Whether the jump is taken; null for an operation this does not know. */
    private static Boolean compare(int op, long a, long b, boolean narrow) {
        long ua = narrow ? a & 0xffffffffL : a;
        long ub = narrow ? b & 0xffffffffL : b;
        return switch (op) {
            case JEQ -> ua == ub;
            case JNE -> ua != ub;
            case JSET -> (ua & ub) != 0;
            case JGT -> Long.compareUnsigned(ua, ub) > 0;
            case JGE -> Long.compareUnsigned(ua, ub) >= 0;
            case JLT -> Long.compareUnsigned(ua, ub) < 0;
            case JLE -> Long.compareUnsigned(ua, ub) <= 0;
            case JSGT -> a > b;
            case JSGE -> a >= b;
            case JSLT -> a < b;
            case JSLE -> a <= b;
            default -> null;
        };
    }

    /** What is known of the registers at one point: a value per register, or nothing. */
    private static final class Known {
        private final long[] values = new long[REGISTERS];
        private final boolean[] known = new boolean[REGISTERS];

        static Known nothing() {
            return new Known();
        }

        Known copy() {
            Known copy = new Known();
            System.arraycopy(values, 0, copy.values, 0, REGISTERS);
            System.arraycopy(known, 0, copy.known, 0, REGISTERS);
            return copy;
        }

        boolean isKnown(int register) {
            return register < REGISTERS && known[register];
        }

        long value(int register) {
            return values[register];
        }

        void set(int register, boolean isKnown, long value) {
            if (register < REGISTERS) {
                known[register] = isKnown;
                values[register] = isKnown ? value : 0;
            }
        }

        void forget(int register) {
            set(register, false, 0);
        }

        void clobberCallerSaved() {
            for (int register = 0; register <= 5; register++) {
                forget(register);
            }
        }

        /** Keeps only what {@code other} knows alike; whether anything was lost. */
        boolean meet(Known other) {
            boolean changed = false;
            for (int register = 0; register < REGISTERS; register++) {
                if (known[register] && (!other.known[register] || other.values[register] != values[register])) {
                    known[register] = false;
                    values[register] = 0;
                    changed = true;
                }
            }
            return changed;
        }
    }
}
