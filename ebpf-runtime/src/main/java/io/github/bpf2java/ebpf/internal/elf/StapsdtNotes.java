package io.github.bpf2java.ebpf.internal.elf;

import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The USDT probes of a binary: the {@code NT_STAPSDT} notes ({@code .note.stapsdt}) that {@code sys/sdt.h}'s
 * {@code STAP_PROBE}/{@code DTRACE_PROBE} macros leave at each call site, with addresses turned into the file offsets
 * a uprobe wants. A note holds the call site's address, the link-time address of {@code .stapsdt.base} (to undo
 * prelinking), the semaphore's address (0 for none), and the provider, name and argument spec strings.
 */
public final class StapsdtNotes {
    /** {@code NT_STAPSDT}. */
    static final int NOTE_TYPE = 3;
    static final String OWNER = "stapsdt";
    static final String SECTION = ".note.stapsdt";
    static final String BASE_SECTION = ".stapsdt.base";

    private StapsdtNotes() {}

    /**
     * One call site of a USDT probe.
     *
     * @param provider      e.g. {@code python}
     * @param name          e.g. {@code function__entry}
     * @param address       the call site's virtual address, adjusted for prelinking
     * @param offset        the call site's file offset: where the uprobe goes
     * @param semaphoreOffset the file offset of the probe's 2-byte semaphore, 0 when it has none
     * @param arguments     the argument spec, e.g. {@code -4@%eax 8@-8(%rbp)}; empty for none
     */
    public record Probe(String provider, String name, long address, long offset, long semaphoreOffset,
            String arguments) {}

    /** Every USDT call site in {@code file}, in note order. */
    public static List<Probe> read(ExecutableFile file) {
        long baseAddress = file.sectionAddress(BASE_SECTION).orElse(0L);
        List<Probe> out = new ArrayList<>();
        for (ExecutableFile.Note note : file.notes(SECTION)) {
            if (note.type() != NOTE_TYPE || !note.owner().equals(OWNER)) {
                continue;
            }
            ByteBuffer d = note.descriptor();
            if (d.limit() < 3 * 8 + 3) {
                throw new ObjectFormatException(file.path() + ": USDT note of " + d.limit() + " bytes is too short");
            }
            long pc = d.getLong(0);
            long base = d.getLong(8);
            long semaphore = d.getLong(16);
            String[] strings = strings(file, d, 24);
            long address = baseAddress != 0 && base != 0 ? pc + (baseAddress - base) : pc;
            ExecutableFile.Segment code = file.segmentOf(address).filter(ExecutableFile.Segment::executable)
                    .orElseThrow(() -> new ObjectFormatException(file.path() + ": USDT probe " + strings[0] + ":"
                            + strings[1] + " at 0x" + Long.toHexString(address) + " lies in no executable segment"));
            long semaphoreOffset = 0;
            if (semaphore != 0) {
                long semaphoreAddress = baseAddress != 0 && base != 0 ? semaphore + (baseAddress - base) : semaphore;
                ExecutableFile.Segment data = file.segmentOf(semaphoreAddress).filter(s -> !s.executable())
                        .orElseThrow(() -> new ObjectFormatException(file.path() + ": the semaphore of USDT probe "
                                + strings[0] + ":" + strings[1] + " at 0x" + Long.toHexString(semaphoreAddress)
                                + " lies in no data segment"));
                semaphoreOffset = data.fileOffset(semaphoreAddress);
            }
            out.add(new Probe(strings[0], strings[1], address, code.fileOffset(address), semaphoreOffset,
                    strings[2]));
        }
        return out;
    }

    /** Provider, name and arguments: three NUL-terminated strings from {@code at}. */
    private static String[] strings(ExecutableFile file, ByteBuffer d, int at) {
        String[] out = new String[3];
        int i = at;
        for (int k = 0; k < 3; k++) {
            int end = i;
            while (end < d.limit() && d.get(end) != 0) {
                end++;
            }
            if (end >= d.limit() && k < 2) {
                throw new ObjectFormatException(file.path() + ": USDT note strings are not NUL-terminated");
            }
            byte[] b = new byte[end - i];
            d.get(i, b);
            out[k] = new String(b, StandardCharsets.UTF_8);
            i = end + 1;
        }
        if (out[1].isEmpty()) {
            throw new ObjectFormatException(file.path() + ": USDT note of provider " + out[0] + " has no name");
        }
        // sys/sdt.h writes ":" for a probe without arguments in some versions.
        if (out[2].equals(":")) {
            out[2] = "";
        }
        return out;
    }
}
