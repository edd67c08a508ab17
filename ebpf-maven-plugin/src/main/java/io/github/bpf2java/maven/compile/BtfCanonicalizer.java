package io.github.bpf2java.maven.compile;

import io.github.bpf2java.maven.elf.ElfSectionTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * Puts the forward declarations that clang appends after all other BTF types into an order that depends only on the
 * types, and renumbers the references to them, in {@code .BTF} and {@code .BTF.ext} (function infos and CO-RE
 * relocations).
 *
 * <p>Why: from clang 15 on, the BPF backend emits a {@code BTF_KIND_FWD} for each struct or union that is only ever
 * pointed to, after every other type, in the order of the memory addresses of clang's declarations. Those addresses
 * are stable from one run to the next when the declarations are parsed from source, but not when they are read
 * lazily from a precompiled header, so objects built with a PCH differ from one run to the next (and from objects
 * built without one) only in that order. Sorted by name, kind and first user they are byte-identical either way.
 *
 * <p>The object keeps its size and layout: only the 12-byte FWD records trade places and type ids change, so no
 * offset, section or relocation moves. An object this class does not understand (not ELF64, a BTF kind it does not
 * know) is left as it is.
 */
public final class BtfCanonicalizer {
    private static final int KIND_PTR = 2;
    private static final int KIND_ARRAY = 3;
    private static final int KIND_STRUCT = 4;
    private static final int KIND_UNION = 5;
    private static final int KIND_ENUM = 6;
    private static final int KIND_FWD = 7;
    private static final int KIND_FUNC_PROTO = 13;
    private static final int KIND_VAR = 14;
    private static final int KIND_DATASEC = 15;
    private static final int KIND_DECL_TAG = 17;
    private static final int KIND_TYPE_TAG = 18;
    private static final int KIND_ENUM64 = 19;
    private static final int BTF_MAGIC = 0xEB9F;

    private BtfCanonicalizer() {}

    /**
     * Rewrites {@code object} in place when its trailing forward declarations are not in canonical order.
     *
     * @return whether the file changed
     */
    public static boolean canonicalize(Path object) throws IOException {
        byte[] bytes = Files.readAllBytes(object);
        if (!canonicalize(bytes)) {
            return false;
        }
        Files.write(object, bytes);
        return true;
    }

    /**
     * Canonicalizes an object's bytes in place.
     *
     * @return whether anything changed
     */
    public static boolean canonicalize(byte[] object) {
        Optional<Elf> elf = Elf.read(object);
        if (elf.isEmpty()) {
            return false;
        }
        Optional<Section> btf = elf.get().section(".BTF");
        if (btf.isEmpty()) {
            return false;
        }
        ByteBuffer buf = ByteBuffer.wrap(object).order(elf.get().order());
        Optional<int[]> newIds = reorderTypes(buf, btf.get(), elf.get().section(".BTF.ext"));
        if (newIds.isEmpty()) {
            return false;
        }
        elf.get().section(".BTF.ext").ifPresent(ext -> remapExt(buf, ext, newIds.get()));
        return true;
    }

    /** The offset and size of a section in the file. */
    private record Section(int offset, int size) {}

    /** An ELF64 file's sections by name, as offsets into its bytes; empty for anything else or a malformed file. */
    private record Elf(ByteOrder order, ElfSectionTable table) {
        static Optional<Elf> read(byte[] b) {
            ElfSectionTable table;
            try {
                table = ElfSectionTable.read(b);
            } catch (ElfSectionTable.MalformedElfException notUnderstood) {
                return Optional.empty();
            }
            if (!table.is64() || table.sections().stream()
                    .anyMatch(s -> s.inFile() && s.offset() + s.size() > b.length)) {
                return Optional.empty();
            }
            return Optional.of(new Elf(table.order(), table));
        }

        Optional<Section> section(String name) {
            return table.find(name).map(s -> new Section((int) s.offset(), s.inFile() ? (int) s.size() : 0));
        }
    }

    /**
     * Sorts the trailing run of FWD types and renumbers every type reference in {@code .BTF}.
     *
     * @return the new id of each old id, empty when nothing changed or the BTF is not understood
     */
    private static Optional<int[]> reorderTypes(ByteBuffer buf, Section btf, Optional<Section> ext) {
        int base = btf.offset();
        if (btf.size() < 24 || Short.toUnsignedInt(buf.getShort(base)) != BTF_MAGIC) {
            return Optional.empty();
        }
        int hdrLen = buf.getInt(base + 4);
        int typeStart = base + hdrLen + buf.getInt(base + 8);
        int typeEnd = typeStart + buf.getInt(base + 12);
        int strStart = base + hdrLen + buf.getInt(base + 16);
        int strEnd = strStart + buf.getInt(base + 20);
        if (typeEnd > base + btf.size() || strEnd > base + btf.size()) {
            return Optional.empty();
        }
        // offsets[id] is where type id starts; id 0 is void and has no record.
        List<Integer> offsets = new ArrayList<>();
        offsets.add(-1);
        for (int p = typeStart; p < typeEnd; ) {
            offsets.add(p);
            int info = buf.getInt(p + 4);
            int extra = extraBytes((info >>> 24) & 0x1f, info & 0xffff);
            if (extra < 0) {
                return Optional.empty();
            }
            p += 12 + extra;
        }
        int count = offsets.size();
        int trailing = 0;
        while (count - trailing > 1 && kind(buf, offsets.get(count - trailing - 1)) == KIND_FWD) {
            trailing++;
        }
        int firstFwd = count - trailing;
        if (count - firstFwd < 2) {
            return Optional.empty();
        }
        int[] firstUser = new int[count];
        Arrays.fill(firstUser, Integer.MAX_VALUE);
        for (int id = 1; id < firstFwd; id++) {
            final int user = id;
            forEachReference(buf, offsets.get(id), at -> {
                int target = buf.getInt(at);
                if (target >= firstFwd && target < count && firstUser[target] == Integer.MAX_VALUE) {
                    firstUser[target] = user;
                }
            });
        }
        byte[] raw = buf.array();
        List<Integer> fwds = new ArrayList<>();
        for (int id = firstFwd; id < count; id++) {
            fwds.add(id);
        }
        Comparator<Integer> canonical = Comparator
                .comparing((Integer id) -> cString(raw, strStart + buf.getInt(offsets.get(id)), strEnd))
                .thenComparingInt(id -> buf.getInt(offsets.get(id) + 4) >>> 31)
                .thenComparingInt(id -> firstUser[id]);
        List<Integer> sorted = new ArrayList<>(fwds);
        sorted.sort(canonical);
        if (sorted.equals(fwds)) {
            return Optional.empty();
        }
        // The FWDs' names were appended to the string table in the same varying order: lay them out again in the
        // new order. Strings other records use come earlier and stay where they are.
        Optional<byte[]> names = reorderNames(buf, offsets, firstFwd, sorted, strStart, strEnd, ext);
        if (names.isEmpty()) {
            return Optional.empty();
        }
        int[] newIds = new int[count];
        for (int id = 0; id < count; id++) {
            newIds[id] = id;
        }
        for (int i = 0; i < sorted.size(); i++) {
            newIds[sorted.get(i)] = firstFwd + i;
        }
        byte[] tail = names.get();
        System.arraycopy(tail, 0, raw, strEnd - tail.length, tail.length);
        byte[] records = new byte[12 * sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            System.arraycopy(raw, offsets.get(sorted.get(i)), records, 12 * i, 12);
        }
        System.arraycopy(records, 0, raw, offsets.get(firstFwd), records.length);
        for (int id = 1; id < firstFwd; id++) {
            forEachReference(buf, offsets.get(id), at -> {
                int target = buf.getInt(at);
                if (target >= 0 && target < count) {
                    buf.putInt(at, newIds[target]);
                }
            });
        }
        return Optional.of(newIds);
    }

    /**
     * Rewrites the names of the trailing FWDs: the string table ends with the names they introduced, in their old
     * order; the new tail holds the same strings in the order of {@code sorted}, and the FWD records (still at their
     * old places) get the new offsets.
     *
     * @return the new tail of the string table, empty when the table does not end that way (then nothing is changed)
     */
    private static Optional<byte[]> reorderNames(ByteBuffer buf, List<Integer> offsets, int firstFwd,
            List<Integer> sorted, int strStart, int strEnd, Optional<Section> ext) {
        byte[] raw = buf.array();
        java.util.Set<Integer> fwdNames = new java.util.HashSet<>();
        for (int id : sorted) {
            fwdNames.add(buf.getInt(offsets.get(id)));
        }
        List<Integer> starts = new ArrayList<>();
        for (int p = strStart; p < strEnd; ) {
            starts.add(p - strStart);
            while (p < strEnd && raw[p] != 0) {
                p++;
            }
            p++;
        }
        int tailStart = strEnd - strStart;
        for (int i = starts.size() - 1; i >= 0 && starts.get(i) != 0 && fwdNames.contains(starts.get(i)); i--) {
            tailStart = starts.get(i);
        }
        final int boundary = tailStart;
        boolean[] sharedTail = {false};
        IntConsumer check = name -> sharedTail[0] |= name >= boundary;
        for (int id = 1; id < firstFwd; id++) {
            forEachName(buf, offsets.get(id), check);
        }
        ext.ifPresent(e -> forEachExtName(buf, e, check));
        if (sharedTail[0]) {
            return Optional.empty();
        }
        java.io.ByteArrayOutputStream tail = new java.io.ByteArrayOutputStream();
        java.util.Map<Integer, Integer> moved = new java.util.HashMap<>();
        for (int id : sorted) {
            int name = buf.getInt(offsets.get(id));
            if (name >= boundary && !moved.containsKey(name)) {
                moved.put(name, boundary + tail.size());
                String text = cString(raw, strStart + name, strEnd);
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                tail.write(bytes, 0, bytes.length);
                tail.write(0);
            }
        }
        if (tail.size() != strEnd - strStart - boundary) {
            return Optional.empty();
        }
        for (int id : sorted) {
            int at = offsets.get(id);
            buf.putInt(at, moved.getOrDefault(buf.getInt(at), buf.getInt(at)));
        }
        return Optional.of(tail.toByteArray());
    }

    /** Calls {@code visitor} with every string offset a type record uses: its name and its members' names. */
    private static void forEachName(ByteBuffer buf, int offset, IntConsumer visitor) {
        visitor.accept(buf.getInt(offset));
        int info = buf.getInt(offset + 4);
        int kind = (info >>> 24) & 0x1f;
        int vlen = info & 0xffff;
        int stride = switch (kind) {
            case KIND_STRUCT, KIND_UNION, KIND_ENUM64 -> 12;
            case KIND_ENUM, KIND_FUNC_PROTO -> 8;
            default -> 0;
        };
        for (int i = 0; stride > 0 && i < vlen; i++) {
            visitor.accept(buf.getInt(offset + 12 + stride * i));
        }
    }

    /** Calls {@code visitor} with every string offset {@code .BTF.ext} uses (section names, lines, access strings). */
    private static void forEachExtName(ByteBuffer buf, Section ext, IntConsumer visitor) {
        int base = ext.offset();
        if (ext.size() < 24 || Short.toUnsignedInt(buf.getShort(base)) != BTF_MAGIC) {
            return;
        }
        int hdrLen = buf.getInt(base + 4);
        int data = base + hdrLen;
        walkInfos(buf, data + buf.getInt(base + 8), buf.getInt(base + 12), ext, visitor, (record, size) -> { });
        walkInfos(buf, data + buf.getInt(base + 16), buf.getInt(base + 20), ext, visitor, (record, size) -> {
            visitor.accept(buf.getInt(record + 4));
            visitor.accept(buf.getInt(record + 8));
        });
        if (hdrLen >= 32) {
            walkInfos(buf, data + buf.getInt(base + 24), buf.getInt(base + 28), ext, visitor,
                    (record, size) -> visitor.accept(buf.getInt(record + 8)));
        }
    }

    /**
     * Walks one {@code .BTF.ext} info block: a record size, then per ELF section its name offset, record count and
     * records.
     */
    private static void walkInfos(ByteBuffer buf, int start, int length, Section ext,
            IntConsumer sectionNames, BiConsumer<Integer, Integer> records) {
        int end = start + length;
        if (length < 4 || end > ext.offset() + ext.size()) {
            return;
        }
        int recordSize = buf.getInt(start);
        if (recordSize < 8) {
            return;
        }
        for (int p = start + 4; p + 8 <= end; ) {
            sectionNames.accept(buf.getInt(p));
            int count = buf.getInt(p + 4);
            p += 8;
            for (int i = 0; i < count && p + recordSize <= end; i++, p += recordSize) {
                records.accept(p, recordSize);
            }
        }
    }

    /** The bytes that follow the 12-byte common record for a kind, or -1 for a kind this class does not know. */
    private static int extraBytes(int kind, int vlen) {
        return switch (kind) {
            case 1, KIND_VAR, KIND_DECL_TAG -> 4;
            case KIND_PTR, KIND_FWD, 8, 9, 10, 11, 12, 16, KIND_TYPE_TAG -> 0;
            case KIND_ARRAY -> 12;
            case KIND_STRUCT, KIND_UNION, KIND_DATASEC, KIND_ENUM64 -> 12 * vlen;
            case KIND_ENUM, KIND_FUNC_PROTO -> 8 * vlen;
            default -> -1;
        };
    }

    private static int kind(ByteBuffer buf, int offset) {
        return (buf.getInt(offset + 4) >>> 24) & 0x1f;
    }

    /** Calls {@code visitor} with the file offset of every type-id field of the type at {@code offset}. */
    private static void forEachReference(ByteBuffer buf, int offset, IntConsumer visitor) {
        int info = buf.getInt(offset + 4);
        int kind = (info >>> 24) & 0x1f;
        int vlen = info & 0xffff;
        int members = offset + 12;
        switch (kind) {
            case KIND_PTR, 8, 9, 10, 11, 12, KIND_VAR, KIND_DECL_TAG, KIND_TYPE_TAG -> visitor.accept(offset + 8);
            case KIND_ARRAY -> {
                visitor.accept(members);
                visitor.accept(members + 4);
            }
            case KIND_STRUCT, KIND_UNION -> {
                for (int i = 0; i < vlen; i++) {
                    visitor.accept(members + 12 * i + 4);
                }
            }
            case KIND_FUNC_PROTO -> {
                visitor.accept(offset + 8);
                for (int i = 0; i < vlen; i++) {
                    visitor.accept(members + 8 * i + 4);
                }
            }
            case KIND_DATASEC -> {
                for (int i = 0; i < vlen; i++) {
                    visitor.accept(members + 12 * i);
                }
            }
            default -> {
                // INT, ENUM, ENUM64, FWD and FLOAT refer to no type.
            }
        }
    }

    /** Renumbers the type ids of {@code .BTF.ext}'s function infos and CO-RE relocations (at 4 in each record). */
    private static void remapExt(ByteBuffer buf, Section ext, int[] newIds) {
        int base = ext.offset();
        if (ext.size() < 24 || Short.toUnsignedInt(buf.getShort(base)) != BTF_MAGIC) {
            return;
        }
        int hdrLen = buf.getInt(base + 4);
        int data = base + hdrLen;
        BiConsumer<Integer, Integer> remap = (record, size) -> {
            int type = buf.getInt(record + 4);
            if (type >= 0 && type < newIds.length) {
                buf.putInt(record + 4, newIds[type]);
            }
        };
        walkInfos(buf, data + buf.getInt(base + 8), buf.getInt(base + 12), ext, name -> { }, remap);
        if (hdrLen >= 32) {
            walkInfos(buf, data + buf.getInt(base + 24), buf.getInt(base + 28), ext, name -> { }, remap);
        }
    }

    private static String cString(byte[] b, int start, int limit) {
        int end = start;
        while (end < limit && b[end] != 0) {
            end++;
        }
        return new String(b, start, Math.max(0, end - start), StandardCharsets.UTF_8);
    }
}
