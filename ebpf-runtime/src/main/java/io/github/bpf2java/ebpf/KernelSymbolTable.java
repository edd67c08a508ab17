package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.host.Kallsyms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The running kernel's code symbols, to name the addresses a stack trace map or {@code bpf_get_stack} hands out:
 * {@code 0xffffffff812a3c4f} becomes {@code vfs_read+0x5f}. Read once from {@code /proc/kallsyms}, as libbpf
 * tools' {@code ksyms} do: functions of the kernel and its modules, and loaded BPF programs
 * ({@code bpf_prog_<tag>_<name>} in module {@code bpf}). Immutable and safe to share between threads; take a new
 * table after modules or programs were loaded to see theirs.
 *
 * <pre>{@code
 * KernelSymbolTable symbols = KernelSymbolTable.load();
 * for (long frame : stack) {               // a long[] of a stack trace map, zero after the last frame
 *     if (frame == 0) break;
 *     System.out.println(symbols.describe(frame));
 * }
 * }</pre>
 */
public final class KernelSymbolTable {
    /**
     * One symbol.
     *
     * @param name    the symbol's name, e.g. {@code vfs_read}
     * @param address its start
     * @param module  the module that has it ({@code bpf} for BPF programs), or empty for the kernel image
     */
    public record Symbol(String name, long address, Optional<String> module) {
        public Symbol {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(module, "module");
        }

        /** E.g. {@code vfs_read at 0xffffffff812a3bf0}, with {@code  [module]} for a module's. */
        @Override
        public String toString() {
            return name + " at 0x" + Long.toHexString(address) + module.map(m -> " [" + m + "]").orElse("");
        }
    }

    private final long[] addresses;
    private final Symbol[] symbols;

    private KernelSymbolTable(List<Symbol> sorted) {
        this.symbols = sorted.toArray(new Symbol[0]);
        this.addresses = sorted.stream().mapToLong(Symbol::address).toArray();
    }

    /**
     * Reads {@code /proc/kallsyms}: a snapshot. Load it after the BPF programs whose frames it should name (and
     * again after modules or programs come and go): an address of code loaded after the snapshot is described as an
     * offset into whatever symbol precedes it.
     *
     * @throws PermissionException when the kernel shows this process no addresses (all zero:
     *                             {@code kernel.kptr_restrict}, no {@code CAP_SYSLOG})
     * @throws NotFoundException   when the kernel has no {@code /proc/kallsyms} ({@code CONFIG_KALLSYMS} off)
     */
    public static KernelSymbolTable load() {
        return load(Kallsyms.FILE);
    }

    static KernelSymbolTable load(Path file) {
        List<Symbol> symbols = new ArrayList<>();
        boolean[] anyHidden = {false};
        try {
            Kallsyms.read(file, (address, type, name, module) -> {
                if (!Kallsyms.isCode(type)) {
                    return true;
                }
                if (address == 0) {
                    anyHidden[0] = true;
                } else {
                    symbols.add(new Symbol(name, address, Optional.ofNullable(module)));
                }
                return true;
            });
        } catch (NoSuchFileException e) {
            throw new NotFoundException("read", Errno.ENOENT.number(), file.toString(), "the kernel was built "
                    + "without CONFIG_KALLSYMS, so it lists no symbols to name addresses with");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " has a line this reader does not understand: " + e.getMessage(),
                    e);
        }
        if (symbols.isEmpty() && anyHidden[0]) {
            throw new PermissionException(file + " shows this process no addresses (all are 0)", "read",
                    Errno.EPERM.number(), file.toString(), "the kernel shows them to processes with CAP_SYSLOG "
                            + "when kernel.kptr_restrict is 0 or 1; run as root, or lower kernel.kptr_restrict");
        }
        // Several names at one address (aliases): the global one first, then by name, so lookups are stable.
        // Addresses compare unsigned: the kernel's lie in the top half, negative as Java longs.
        symbols.sort(Comparator.comparing(Symbol::address, Long::compareUnsigned)
                .thenComparing(s -> s.module().isPresent()).thenComparing(Symbol::name));
        return new KernelSymbolTable(symbols);
    }

    /**
     * The symbol {@code address} lies in: the one that starts at or last before it. Empty below the first symbol;
     * an address past the end of the last function of a region still gets that function, as with every
     * kallsyms-based lookup (kallsyms has no sizes).
     */
    public Optional<Symbol> find(long address) {
        // The first symbol above the address, by unsigned binary search; the one before it holds the address.
        int low = 0;
        int high = addresses.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(addresses[middle], address) <= 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        int index = low - 1;
        while (index > 0 && addresses[index - 1] == addresses[index]) {
            index--; // the first of several names at one address
        }
        return index < 0 ? Optional.empty() : Optional.of(symbols[index]);
    }

    /**
     * {@code address} as {@code name+0xoffset}, with {@code [module]} after it for a module's symbol, or as hex
     * when no symbol has it.
     */
    public String describe(long address) {
        return find(address).map(s -> s.name() + (address == s.address() ? "" : "+0x"
                + Long.toHexString(address - s.address())) + s.module().map(m -> " [" + m + "]").orElse(""))
                .orElse("0x" + Long.toHexString(address));
    }

    /** The symbol named {@code name} (the first, when modules repeat a name), or empty. */
    public Optional<Symbol> named(String name) {
        Objects.requireNonNull(name, "name");
        return Arrays.stream(symbols).filter(s -> s.name().equals(name)).findFirst();
    }

    /** How many symbols the table has. */
    public int size() {
        return symbols.length;
    }

    @Override
    public String toString() {
        return "KernelSymbolTable[" + symbols.length + " symbols]";
    }
}
