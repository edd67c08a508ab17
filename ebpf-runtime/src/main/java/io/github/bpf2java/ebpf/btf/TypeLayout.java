package io.github.bpf2java.ebpf.btf;

import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The underlying type, size and alignment of every type of one {@link Btf}, each computed once per type id and
 * remembered, so that walking every type costs time linear in the number of types and members, however the types
 * share one another. A struct nested in a diamond (two members of the same struct type, level after level) doubles
 * the number of paths at each level: without the memory, 30 levels are a billion paths.
 *
 * <p>Walks are iterative, so a chain of tens of thousands of nested types cannot overflow the stack. Typedef,
 * qualifier, pointer, array and var loops are rejected when the BTF is parsed; a struct that contains itself by value
 * (through members, arrays, typedefs) is reported here, when its alignment is asked for.
 *
 * <p>Thread-safe: the tables hold only final results, written with volatile semantics; two threads computing the
 * same entry write equal values.
 */
final class TypeLayout {
    /** A size entry: not computed yet. Sizes are stored plus one; failures are negative. */
    private static final long SIZE_UNKNOWN = 0;
    /** A size entry: an array size overflowed 64 bits. */
    private static final long SIZE_OVERFLOW = Long.MIN_VALUE;
    /** An alignment entry: the alignment cannot be computed; the reason is in {@link #alignFailures}. */
    private static final int ALIGN_FAILED = -1;

    private final Btf btf;
    private final int count;
    private volatile AtomicIntegerArray resolved;
    private volatile AtomicLongArray sizes;
    private volatile AtomicIntegerArray aligns;
    private final ConcurrentHashMap<Integer, String> alignFailures = new ConcurrentHashMap<>();

    TypeLayout(Btf btf, int count) {
        this.btf = btf;
        this.count = count;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Typedefs and qualifiers

    /** The id reached from {@code id} by following typedefs and qualifiers. */
    int resolve(int id) {
        AtomicIntegerArray cache = resolvedTable();
        IntStack path = new IntStack();
        int cur = id;
        while (true) {
            BtfType t = btf.type(cur); // checks the range, with the usual message
            int known = cache.get(cur);
            if (known != 0) {
                cur = known - 1;
                break;
            }
            int next;
            if (t instanceof BtfType.Typedef d) {
                next = d.targetId();
            } else if (t instanceof BtfType.Qualifier q) {
                next = q.targetId();
            } else {
                break;
            }
            path.push(cur);
            if (path.size() > count) {
                throw bad(id, "reference loop through typedefs or qualifiers");
            }
            cur = next;
        }
        cache.set(cur, cur + 1);
        for (int i = 0; i < path.size(); i++) {
            cache.set(path.get(i), cur + 1);
        }
        return cur;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sizes

    /** See {@link Btf#sizeOf(int)}. */
    long sizeOf(int id) {
        long code = sizeCode(id);
        if (code >= 0) {
            return code;
        }
        if (code == SIZE_OVERFLOW) {
            throw bad(id, "size of " + btf.describe(id) + " overflows");
        }
        int leaf = (int) (-code - 1);
        throw bad(id, btf.describe(id) + " has no size (it is a " + BtfKind.name(Btf.kindOf(btf.type(leaf))) + ")");
    }

    /**
     * The size of {@code id}, or a negative code: {@link #SIZE_OVERFLOW}, or {@code -(leaf + 1)} where {@code leaf}
     * is the type without a size that the chain of typedefs, qualifiers, vars and arrays ends in.
     */
    private long sizeCode(int id) {
        AtomicLongArray cache = sizeTable();
        IntStack path = new IntStack();
        int cur = id;
        long code;
        while (true) {
            BtfType t = btf.type(cur);
            long known = cache.get(cur);
            if (known != SIZE_UNKNOWN) {
                code = known > 0 ? known - 1 : known;
                break;
            }
            int next = -1;
            if (t instanceof BtfType.Typedef d) {
                next = d.targetId();
            } else if (t instanceof BtfType.Qualifier q) {
                next = q.targetId();
            } else if (t instanceof BtfType.Var v) {
                next = v.typeId();
            } else if (t instanceof BtfType.Array a) {
                next = a.elementTypeId();
            }
            if (next >= 0) {
                path.push(cur);
                if (path.size() > count) {
                    throw bad(id, "reference loop while computing a size");
                }
                cur = next;
                continue;
            }
            code = leafSize(t);
            cache.set(cur, encodeSize(code));
            break;
        }
        for (int i = path.size() - 1; i >= 0; i--) {
            int pid = path.get(i);
            if (code >= 0 && btf.type(pid) instanceof BtfType.Array a) {
                try {
                    code = Math.multiplyExact(code, Integer.toUnsignedLong(a.length()));
                } catch (ArithmeticException e) {
                    code = SIZE_OVERFLOW;
                }
            }
            cache.set(pid, encodeSize(code));
        }
        return code;
    }

    private static long leafSize(BtfType t) {
        long size;
        if (t instanceof BtfType.Pointer) {
            return 8;
        } else if (t instanceof BtfType.Int i) {
            size = i.size();
        } else if (t instanceof BtfType.Enum e) {
            size = e.size();
        } else if (t instanceof BtfType.Float f) {
            size = f.size();
        } else if (t instanceof BtfType.Struct s) {
            size = s.size();
        } else if (t instanceof BtfType.Union u) {
            size = u.size();
        } else if (t instanceof BtfType.DataSection d) {
            size = d.size();
        } else {
            return -(long) t.id() - 1;
        }
        return Integer.toUnsignedLong((int) size);
    }

    private static long encodeSize(long code) {
        if (code == Long.MAX_VALUE) {
            return SIZE_OVERFLOW; // no room for "plus one"; no real type is that large
        }
        return code >= 0 ? code + 1 : code;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Alignments

    /** See {@link Btf#alignOf(int)}. */
    int alignOf(int id) {
        int root = resolve(id);
        AtomicIntegerArray cache = alignTable();
        int known = cache.get(root);
        if (known == 0) {
            computeAlignment(root, cache);
            known = cache.get(root);
        }
        if (known == ALIGN_FAILED) {
            throw new ObjectFormatException(alignFailures.get(root));
        }
        return known;
    }

    /** One struct, union, array or var whose alignment waits for its members'. */
    private static final class Frame {
        final int id;
        int nextMember;
        int align = 1;

        Frame(int id) {
            this.id = id;
        }
    }

    /** Depth-first over members with an explicit stack; every type's result is stored when it is known. */
    private void computeAlignment(int root, AtomicIntegerArray cache) {
        List<Frame> stack = new ArrayList<>();
        Set<Integer> onStack = new HashSet<>();
        stack.add(new Frame(root));
        onStack.add(root);
        while (!stack.isEmpty()) {
            Frame f = stack.get(stack.size() - 1);
            BtfType t = btf.type(f.id);
            int result = 0; // 0: waiting for a member pushed below
            int waitFor = -1;
            int failedChild = -1;
            if (t instanceof BtfType.Int i) {
                result = natural(i.size());
            } else if (t instanceof BtfType.Float fl) {
                result = natural(fl.size());
            } else if (t instanceof BtfType.Enum e) {
                result = natural(e.size());
            } else if (t instanceof BtfType.Pointer) {
                result = 8;
            } else if (t instanceof BtfType.Array || t instanceof BtfType.Var) {
                int child = resolve(t instanceof BtfType.Array a ? a.elementTypeId() : ((BtfType.Var) t).typeId());
                int a = cache.get(child);
                if (a == 0) {
                    waitFor = child;
                } else if (a == ALIGN_FAILED) {
                    failedChild = child;
                } else {
                    result = a;
                }
            } else if (t instanceof BtfType.Struct || t instanceof BtfType.Union) {
                List<Member> members = t instanceof BtfType.Struct s ? s.members() : ((BtfType.Union) t).members();
                int size = t instanceof BtfType.Struct s ? s.size() : ((BtfType.Union) t).size();
                while (f.nextMember < members.size()) {
                    Member m = members.get(f.nextMember);
                    int child = resolve(m.typeId());
                    int a = cache.get(child);
                    if (a == 0) {
                        waitFor = child;
                        break;
                    }
                    if (a == ALIGN_FAILED) {
                        failedChild = child;
                        break;
                    }
                    if (m.bitfieldSize() == 0 && m.bitOffset() % (8L * a) != 0) {
                        result = 1; // a member off its natural alignment: the struct is packed
                        break;
                    }
                    f.align = Math.max(f.align, a);
                    f.nextMember++;
                }
                if (waitFor < 0 && failedChild < 0 && result == 0) {
                    result = Integer.toUnsignedLong(size) % f.align == 0 ? f.align : 1;
                }
            } else {
                fail(stack, cache, f.id, btf.describe(f.id) + " has no alignment (it is a "
                        + BtfKind.name(Btf.kindOf(t)) + ")");
                return;
            }
            if (failedChild >= 0) {
                // A member failed earlier: its reason stands for every type that contains it.
                fail(stack, cache, failedChild, null);
                return;
            }
            if (waitFor >= 0) {
                if (!onStack.add(waitFor)) {
                    fail(stack, cache, waitFor, btf.describe(waitFor) + " contains itself");
                    return;
                }
                stack.add(new Frame(waitFor));
                continue;
            }
            cache.set(f.id, result);
            stack.remove(stack.size() - 1);
            onStack.remove(f.id);
        }
    }

    /**
     * Records that {@code culprit} has no alignment for {@code reason} (or for the reason already recorded for it),
     * and so has every type on the stack, which all contain it.
     */
    private void fail(List<Frame> stack, AtomicIntegerArray cache, int culprit, String reason) {
        String message = reason == null ? alignFailures.get(culprit) : bad(culprit, reason).getMessage();
        alignFailures.putIfAbsent(culprit, message);
        cache.set(culprit, ALIGN_FAILED);
        for (Frame f : stack) {
            alignFailures.putIfAbsent(f.id, message);
            cache.set(f.id, ALIGN_FAILED);
        }
    }

    private static int natural(int size) {
        return Math.max(1, Math.min(size, 8));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static ObjectFormatException bad(int id, String what) {
        return new ObjectFormatException("BTF: type " + id + ": " + what);
    }

    private AtomicIntegerArray resolvedTable() {
        AtomicIntegerArray t = resolved;
        if (t == null) {
            t = new AtomicIntegerArray(count);
            resolved = t;
        }
        return t;
    }

    private AtomicLongArray sizeTable() {
        AtomicLongArray t = sizes;
        if (t == null) {
            t = new AtomicLongArray(count);
            sizes = t;
        }
        return t;
    }

    private AtomicIntegerArray alignTable() {
        AtomicIntegerArray t = aligns;
        if (t == null) {
            t = new AtomicIntegerArray(count);
            aligns = t;
        }
        return t;
    }

    /** A growable stack of ints. */
    private static final class IntStack {
        private int[] values = new int[8];
        private int size;

        void push(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }
    }
}
