package io.github.bpf2java.ebpf.internal.host;

import io.github.bpf2java.ebpf.error.BpfException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Names of the running kernel's functions: {@code /proc/kallsyms} (every symbol) and tracefs'
 * {@code available_filter_functions} (the functions ftrace, and so kprobe.multi, can hook). Read on each call: they
 * change as modules load.
 */
public final class KernelFunctions {
    private KernelFunctions() {}

    /** Whether {@code /proc/kallsyms} lists a code symbol (a function, weak or not) named exactly {@code name}. */
    public static boolean hasFunction(String name) {
        boolean[] found = {false};
        readKallsyms((address, type, symbol, module) -> {
            found[0] = Kallsyms.isCode(type) && symbol.equals(name);
            return !found[0];
        });
        return found[0];
    }

    private static boolean readable(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            in.readLine();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The text symbols of {@code /proc/kallsyms} that {@code accept} takes, without module suffixes. */
    static List<String> textSymbols(Predicate<String> accept) {
        List<String> out = new ArrayList<>();
        readKallsyms((address, type, name, module) -> {
            if ((type == 't' || type == 'T') && accept.test(name)) {
                out.add(name);
            }
            return true;
        });
        return out;
    }

    private static void readKallsyms(Kallsyms.SymbolVisitor visitor) {
        try {
            Kallsyms.read(Kallsyms.FILE, visitor);
        } catch (IOException e) {
            throw new BpfException("cannot read " + Kallsyms.FILE + ": " + e.getMessage(), e);
        }
    }

    /**
     * The kernel function a system call enters through: {@code __x64_sys_<name>} (and the like for other
     * architectures) on kernels with syscall wrappers (x86-64 since 4.17, arm64 since 4.19), else
     * {@code sys_<name>}.
     *
     * @throws BpfException when the kernel has neither
     */
    public static String syscallFunction(String syscall) {
        String prefix = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "__x64_sys_";
            case "aarch64", "arm64" -> "__arm64_sys_";
            case "s390x" -> "__s390x_sys_";
            case "riscv64" -> "__riscv_sys_";
            case "ppc64le", "ppc64" -> "sys_";
            default -> "sys_";
        };
        for (String candidate : List.of(prefix + syscall, "__se_sys_" + syscall, "sys_" + syscall)) {
            if (hasFunction(candidate)) {
                return candidate;
            }
        }
        throw new BpfException("the kernel has no system call '" + syscall + "' (neither " + prefix + syscall
                + " nor sys_" + syscall + " in " + Kallsyms.FILE + ")", "use the name without prefix, e.g. "
                        + "\"openat\"; /proc/kallsyms lists what exists", null);
    }

    /**
     * The functions {@code accept} takes among those ftrace can hook: {@code available_filter_functions} under
     * {@code tracefsRoot}, or, where that file cannot be read (kernel lockdown refuses it), the text symbols of
     * {@code /proc/kallsyms}.
     */
    public static List<String> traceable(Path tracefsRoot, Predicate<String> accept) {
        Path file = tracefsRoot.resolve("available_filter_functions");
        if (!Files.isReadable(file) || !readable(file)) {
            return textSymbols(accept);
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int space = line.indexOf(' ');
                String name = space < 0 ? line : line.substring(0, space); // "name [module]"
                if (accept.test(name)) {
                    out.add(name);
                }
            }
        } catch (IOException e) {
            throw new BpfException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }
}
