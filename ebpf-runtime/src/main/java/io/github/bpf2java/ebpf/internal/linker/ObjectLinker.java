package io.github.bpf2java.ebpf.internal.linker;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfEncoder;
import io.github.bpf2java.ebpf.btf.BtfExt;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.elf.ElfFile;
import io.github.bpf2java.ebpf.internal.elf.ElfRelocation;
import io.github.bpf2java.ebpf.internal.elf.ElfSection;
import io.github.bpf2java.ebpf.internal.elf.ElfSymbol;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Links relocatable BPF objects into one, as libbpf's {@code bpf_linker}: sections of the same name concatenated in
 * input order (each part at its alignment), {@code static} symbols kept per input, global symbols resolved by name
 * (a definition over an {@code extern}, a strong definition over a {@code __weak} one, two strong ones an error),
 * relocations moved with their sections and pointed at the resolved symbols, instructions that address a section
 * through its section symbol shifted by where their input's part landed, BTF and {@code .BTF.ext} merged.
 *
 * <p>DWARF ({@code .debug_*}), {@code .llvm_addrsig} and the relocations of {@code .BTF}/{@code .BTF.ext} are left
 * out, as libbpf does. The output is the same bytes for the same inputs.
 */
public final class ObjectLinker {
    /** {@code BPF_JMP | BPF_CALL}. */
    private static final int CALL = 0x85;
    private static final int INSN_SIZE = 8;
    /** The largest section alignment accepted (a page): clang aligns BPF sections to at most 8. */
    private static final long MAX_ALIGN = 4096;
    /** The largest linked section: offsets in BTF and {@code .BTF.ext} are 32-bit, and Java arrays end below 2 GiB. */
    private static final long MAX_SECTION_SIZE = Integer.MAX_VALUE / 2;

    private final Map<String, OutputSection> sections = new LinkedHashMap<>();
    private final List<LinkedSymbol> locals = new ArrayList<>();
    private final Map<String, LinkedSymbol> globals = new LinkedHashMap<>();
    private final Map<OutputSection, LinkedSymbol> sectionSymbols = new LinkedHashMap<>();
    private final List<Input> inputs = new ArrayList<>();
    private ByteOrder order;

    /** One parsed input and where its parts went. */
    private record Input(String name, ElfFile elf, OutputSection[] placedIn, long[] placedAt,
            LinkedSymbol[] symbols, Set<Integer> reused) {}

    private ObjectLinker() {}

    /**
     * Links {@code objects} (names for messages, bytes) in the given order.
     *
     * @throws ObjectFormatException when an input is not a BPF object, the byte orders differ, a symbol is defined
     *     twice, or sections of one name disagree on their kind
     */
    public static byte[] link(Map<String, byte[]> objects) {
        if (objects.isEmpty()) {
            throw new ObjectFormatException("No BPF object to link");
        }
        ObjectLinker linker = new ObjectLinker();
        objects.forEach(linker::addSectionsAndSymbols);
        for (Input input : linker.inputs) {
            linker.addRelocations(input);
        }
        return linker.write();
    }

    private void addSectionsAndSymbols(String name, byte[] bytes) {
        ElfFile elf = ElfFile.parse(name, bytes);
        if (order == null) {
            order = elf.byteOrder();
        } else if (order != elf.byteOrder()) {
            throw new ObjectFormatException("Cannot link " + name + " (" + elf.byteOrder() + ") with "
                    + inputs.get(0).name() + " (" + order + ")", "compile every input for the same target", null);
        }
        int count = elf.sections().size();
        Input input = new Input(name, elf, new OutputSection[count], new long[count],
                new LinkedSymbol[elf.symbols().size()], new HashSet<>());
        for (ElfSection s : elf.sections()) {
            if (!linked(s)) {
                continue;
            }
            OutputSection out = sections.computeIfAbsent(s.name(), n -> new OutputSection(n, s.type(), s.flags()));
            if (out.type != s.type() || out.isExecutable() != s.isExecutable()) {
                throw new ObjectFormatException("Section " + s.name() + " of " + name + " is "
                        + describe(s.type(), s.isExecutable()) + " but " + describe(out.type, out.isExecutable())
                        + " in an earlier input", "rename one of the sections (SEC(\"...\"))", null);
            }
            input.placedIn()[s.index()] = out;
            if (ONCE.contains(s.name()) && out.size > 0) {
                requireSameContents(out, elf.contents(s), name);
                input.reused().add(s.index());
                continue; // the license and version are the object's, kept once
            }
            if (s.addralign() < 0 || s.addralign() > MAX_ALIGN || Long.bitCount(Math.max(1, s.addralign())) != 1) {
                throw new ObjectFormatException(name + ": section " + s.name() + " has alignment " + s.addralign()
                        + "; a BPF object's sections align to a power of two up to " + MAX_ALIGN);
            }
            if (s.size() < 0 || out.size + s.size() + s.addralign() > MAX_SECTION_SIZE) {
                throw new ObjectFormatException(name + ": section " + s.name() + " (" + Long.toUnsignedString(
                        s.size()) + " bytes) would make the linked section larger than " + MAX_SECTION_SIZE
                        + " bytes");
            }
            input.placedAt()[s.index()] = out.append(elf.contents(s), s.size(), s.addralign());
        }
        inputs.add(input);
        for (ElfSymbol sym : elf.symbols()) {
            if (sym.index() != 0) {
                input.symbols()[sym.index()] = symbol(input, sym);
            }
        }
    }

    /** Sections the kernel reads as one value for the whole object: every input must agree on it. */
    private static final Set<String> ONCE = Set.of("license", "version");

    private void requireSameContents(OutputSection out, byte[] contents, String name) {
        byte[] kept = out.bytes();
        if (!Arrays.equals(kept, contents)) {
            throw new ObjectFormatException("Section " + out.name + " of " + name + " (" + printable(contents)
                    + ") differs from an earlier input's (" + printable(kept) + "); an object has one " + out.name,
                    "give every file the same " + out.name + " (e.g. char LICENSE[] SEC(\"license\") = \"GPL\";),"
                            + " or define it in one file only", null);
        }
    }

    private static String printable(byte[] bytes) {
        StringBuilder b = new StringBuilder("\"");
        for (byte c : bytes) {
            if (c == 0) {
                b.append("\\0");
            } else if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c & 0xff));
            }
        }
        return b.append('"').toString();
    }

    private static String describe(int type, boolean executable) {
        return executable ? "code" : type == ElfSection.SHT_NOBITS ? "zero-initialized data (NOBITS)" : "data";
    }

    /**
     * Whether a section's contents go into the output: not empty ones (clang's empty {@code .text}), DWARF, BTF and
     * tables, which are handled apart or left out.
     */
    private static boolean linked(ElfSection s) {
        return (s.type() == ElfSection.SHT_PROGBITS || s.type() == ElfSection.SHT_NOBITS) && s.size() > 0
                && !s.name().equals(".BTF") && !s.name().equals(".BTF.ext") && !s.name().startsWith(".debug");
    }

    private LinkedSymbol symbol(Input input, ElfSymbol sym) {
        int binding = sym.binding().ordinal();
        int type = sym.type().ordinal();
        int other = sym.visibility().ordinal();
        OutputSection section = sym.isInSection() && sym.sectionIndex() < input.placedIn().length
                ? input.placedIn()[sym.sectionIndex()] : null;
        long value = section == null ? sym.value() : sym.value() + input.placedAt()[sym.sectionIndex()];
        if (sym.type() == ElfSymbol.Type.SECTION) {
            return section == null ? null : sectionSymbols.computeIfAbsent(section, s -> {
                LinkedSymbol symbol = new LinkedSymbol("", LinkedSymbol.STB_LOCAL, LinkedSymbol.STT_SECTION, 0,
                        input.name());
                symbol.define(s, 0, 0, LinkedSymbol.STB_LOCAL, LinkedSymbol.STT_SECTION, 0, input.name());
                locals.add(symbol);
                return symbol;
            });
        }
        if (input.reused().contains(sym.sectionIndex())) {
            // The license of an earlier input is kept: a symbol of the same name stands for it, others go.
            LinkedSymbol kept = globals.get(sym.name());
            return kept != null && kept.section == section ? kept : null;
        }
        if (sym.binding() == ElfSymbol.Binding.LOCAL) {
            if (section == null && sym.sectionIndex() != ElfSymbol.SHN_ABS) {
                return null; // a local of a section left out (DWARF)
            }
            LinkedSymbol local = new LinkedSymbol(sym.name(), binding, type, other, input.name());
            local.define(section, value, sym.size(), binding, type, other, input.name());
            local.absolute = section == null;
            locals.add(local);
            return local;
        }
        LinkedSymbol global = globals.get(sym.name());
        if (global == null) {
            global = new LinkedSymbol(sym.name(), binding, type, other, input.name());
            globals.put(sym.name(), global);
        }
        if (sym.isUndefined()) {
            return global;
        }
        if (section == null) {
            throw new ObjectFormatException(input.name() + ": symbol " + sym.name() + " is in section "
                    + sym.sectionIndex() + ", which the linker cannot place (common or absolute symbols are not"
                    + " BPF)");
        }
        if (global.isDefined()) {
            boolean weak = sym.binding() == ElfSymbol.Binding.WEAK;
            boolean definedWeak = global.binding == LinkedSymbol.STB_WEAK;
            if (global.type != type && global.type != 0 && type != 0) {
                throw new ObjectFormatException("Symbol " + sym.name() + " is a " + sym.type() + " in "
                        + input.name() + " but a " + ElfSymbol.Type.values()[Math.min(global.type, 7)] + " in "
                        + global.origin, "give one of them another name or make it static", null);
            }
            if (!weak && !definedWeak) {
                throw new ObjectFormatException("Symbol " + sym.name() + " is defined in both " + global.origin
                        + " and " + input.name(), "make one of them static, or __weak if one should win", null);
            }
            if (weak) {
                return global; // the definition already there wins (strong, or the first weak one)
            }
        }
        global.define(section, value, sym.size(), binding, type, other, input.name());
        return global;
    }

    private void addRelocations(Input input) {
        ElfFile elf = input.elf();
        for (ElfSection rel : elf.relocationSections()) {
            if (rel.info() <= 0 || rel.info() >= input.placedIn().length || input.placedIn()[rel.info()] == null) {
                continue; // relocations of .BTF, .BTF.ext or DWARF: the merged BTF needs none
            }
            if (rel.type() == ElfSection.SHT_RELA) {
                throw new ObjectFormatException(input.name() + ": " + rel.name() + " is SHT_RELA; BPF objects"
                        + " use SHT_REL relocations");
            }
            OutputSection target = input.placedIn()[rel.info()];
            long base = input.placedAt()[rel.info()];
            for (ElfRelocation r : elf.relocations(rel)) {
                ElfSymbol sym = elf.symbol(r.symbolIndex(), rel.name());
                LinkedSymbol linked = input.symbols()[r.symbolIndex()];
                if (linked == null) {
                    throw new ObjectFormatException(input.name() + ": relocation in " + rel.name() + " at offset "
                            + r.offset() + " refers to symbol " + sym.index() + " (" + sym.name() + ") of a section"
                            + " the linker leaves out");
                }
                ElfSection relocated = elf.section(rel.info());
                int width = target.isExecutable() || r.bpfType().orElse(ElfRelocation.BpfType.NONE)
                        == ElfRelocation.BpfType.R_64_ABS64 ? 8 : 4;
                if (!target.hasBytes() || r.offset() < 0 || r.offset() > relocated.size() - width) {
                    throw new ObjectFormatException(input.name() + ": relocation in " + rel.name() + " at offset "
                            + r.offset() + " lies outside the " + relocated.size() + "-byte section "
                            + relocated.name());
                }
                long offset = base + r.offset();
                if (sym.type() == ElfSymbol.Type.SECTION) {
                    shift(input, target, offset, sym, r);
                }
                target.relocations.add(new OutputSection.Relocation(offset, r.type(), linked));
            }
        }
    }

    /**
     * A relocation against a section symbol addresses the section start plus what the instruction or data word
     * holds; the input's part of the section now starts further in, so that value moves with it.
     */
    private void shift(Input input, OutputSection target, long offset, ElfSymbol sym, ElfRelocation r) {
        long delta = input.placedAt()[sym.sectionIndex()];
        if (delta == 0) {
            return;
        }
        if (target.isExecutable()) {
            boolean call = target.byteAt(offset) == CALL;
            target.add(offset + 4, 4, call ? delta / INSN_SIZE : delta, order);
            return;
        }
        Optional<ElfRelocation.BpfType> type = r.bpfType();
        if (type.isPresent() && type.get() == ElfRelocation.BpfType.R_64_ABS64) {
            target.add(offset, 8, delta, order);
        } else {
            target.add(offset, 4, delta, order);
        }
    }

    private byte[] write() {
        // BTF first: its DATASECs take their sizes from the linked sections.
        Map<String, Long> sizes = new LinkedHashMap<>();
        sections.values().forEach(s -> sizes.put(s.name, s.size));
        BtfMerger merger = new BtfMerger();
        List<Integer> withBtf = new ArrayList<>();
        List<Btf> btfs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            Optional<ElfSection> btfSection = input.elf().section(".BTF");
            if (btfSection.isEmpty()) {
                continue;
            }
            Btf btf = Btf.parse(input.elf().contents(btfSection.get()), order);
            merger.add(btf, name -> offsetOf(input, name), new BtfMerger.VariableOffsets() {
                @Override
                public long of(String section, String variable) {
                    return symbolValue(input, section, variable);
                }

                @Override
                public boolean owns(String variable) {
                    LinkedSymbol global = globals.get(variable);
                    return global != null && global.origin.equals(input.name());
                }
            });
            withBtf.add(i);
            btfs.add(btf);
        }
        byte[] btfBytes = null;
        byte[] extBytes = null;
        if (!withBtf.isEmpty()) {
            BtfMerger.Result merged = merger.merge(sizes, order);
            BtfStringTable strings = new BtfStringTable(BtfEncoder.encode(merged.btf(), order), order);
            BtfExtWriter ext = new BtfExtWriter();
            sections.values().stream().filter(OutputSection::isExecutable)
                    .forEach(s -> ext.section(strings.offsetOf(s.name)));
            for (int k = 0; k < withBtf.size(); k++) {
                addExt(inputs.get(withBtf.get(k)), btfs.get(k), merged.idMaps().get(k), strings, ext);
            }
            extBytes = ext.isEmpty() ? null : ext.bytes(order);
            btfBytes = strings.bytes();
        }
        return new ElfWriter(order).write(new ArrayList<>(sections.values()), locals,
                new ArrayList<>(globals.values()), btfBytes, extBytes);
    }

    /** The value of the input's symbol {@code name} in its section {@code sectionName}; -1 when there is none. */
    private static long symbolValue(Input input, String sectionName, String name) {
        for (ElfSymbol sym : input.elf().symbols()) {
            if (sym.isInSection() && sym.name().equals(name) && sym.type() != ElfSymbol.Type.SECTION
                    && sym.sectionIndex() < input.placedIn().length && input.placedIn()[sym.sectionIndex()] != null
                    && input.elf().section(sym.sectionIndex()).name().equals(sectionName)) {
                return sym.value();
            }
        }
        return -1;
    }

    private static long offsetOf(Input input, String sectionName) {
        for (ElfSection s : input.elf().sections()) {
            if (input.placedIn()[s.index()] != null && s.name().equals(sectionName)) {
                return input.placedAt()[s.index()];
            }
        }
        return 0;
    }

    private static void addExt(Input input, Btf btf, int[] idMap, BtfStringTable strings, BtfExtWriter ext) {
        Optional<ElfSection> section = input.elf().section(".BTF.ext");
        if (section.isEmpty()) {
            return;
        }
        BtfExt parsed = BtfExt.parse(input.elf().contents(section.get()), input.elf().byteOrder(), btf);
        parsed.funcInfos().forEach((name, records) -> {
            int sec = strings.offsetOf(name);
            long base = offsetOf(input, name);
            records.forEach(f -> ext.funcInfo(sec, (int) (f.byteOffset() + base), mapped(idMap, f.typeId(), input)));
        });
        parsed.lineInfos().forEach((name, records) -> {
            int sec = strings.offsetOf(name);
            long base = offsetOf(input, name);
            records.forEach(l -> ext.lineInfo(sec, (int) (l.byteOffset() + base),
                    strings.offsetOf(btf.string(l.fileNameOffset())), strings.offsetOf(btf.string(l.lineOffset())),
                    l.lineNumber(), l.column()));
        });
        parsed.coreRelocations().forEach((name, records) -> {
            int sec = strings.offsetOf(name);
            long base = offsetOf(input, name);
            records.forEach(c -> ext.coreRelo(sec, (int) (c.byteOffset() + base), mapped(idMap, c.typeId(), input),
                    strings.offsetOf(c.accessString()), c.kind()));
        });
    }

    private static int mapped(int[] idMap, int typeId, Input input) {
        if (typeId < 0 || typeId >= idMap.length) {
            throw new ObjectFormatException(input.name() + ": .BTF.ext refers to BTF type " + typeId
                    + ", which its .BTF does not have");
        }
        return typeId == 0 ? 0 : idMap[typeId];
    }
}
