package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.host.Kallsyms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds what {@code __ksym} externs name in the running kernel: functions and typed variables by their id in the
 * kernel's BTF, typeless variables by address in {@code /proc/kallsyms} (read on first use only).
 */
public final class KernelSymbols {
    private static final Path KALLSYMS = Kallsyms.FILE;

    private Map<String, Long> addresses;

    /** The kernel BTF id of function {@code name}, for a kfunc call. */
    int kernelFunction(String name, String context) {
        return findKernelFunction(name).orElseThrow(() -> missing(name, context, "kernel function"));
    }

    /** The kernel BTF id of function {@code name}, or empty when the running kernel has no such function. */
    Optional<Integer> findKernelFunction(String name) {
        return KernelBtf.find(name, BtfType.Func.class).map(BtfType::id);
    }

    /** The kernel BTF id of variable {@code name}, for a typed {@code __ksym}. */
    int kernelVariable(String name, String context) {
        int id = KernelBtf.find(name, BtfType.Var.class).map(BtfType::id).orElseThrow(() -> missing(name, context,
                "kernel variable"));
        // The verifier finds the variable's address through kallsyms, which lists data symbols only in kernels
        // built with CONFIG_KALLSYMS_ALL; say so rather than let it fail with a bare ENOENT.
        if (!kallsyms().containsKey(name)) {
            throw new NotFoundException(context + " needs kernel variable '" + name + "', which the kernel's BTF "
                    + "has but " + KALLSYMS + " does not list", "resolve __ksym", Errno.ENOENT.number(),
                    "kernel variable '" + name + "'", "the kernel resolves typed __ksym variables through kallsyms, "
                            + "which lists variables only when built with CONFIG_KALLSYMS_ALL=y; this kernel is "
                            + "not, so programs cannot refer to kernel variables here; declare the extern __weak "
                            + "to load with it reading as NULL");
        }
        return id;
    }

    /**
     * The kernel BTF id of variable {@code name}, or empty when the kernel lacks it or cannot give its address
     * (it is not in kallsyms): either way a program cannot use it here.
     */
    Optional<Integer> findKernelVariable(String name) {
        return KernelBtf.find(name, BtfType.Var.class).map(BtfType::id).filter(id -> kallsyms().containsKey(name));
    }

    /** The address of kernel symbol {@code name}, for a typeless {@code __ksym}. */
    long address(String name, String context) {
        return findAddress(name, context).orElseThrow(() -> missing(name, context, "kernel symbol"));
    }

    /**
     * The address of kernel symbol {@code name}, or empty when kallsyms does not list it.
     *
     * @throws PermissionException when kallsyms lists it but hides its address from this process
     */
    Optional<Long> findAddress(String name, String context) {
        Long address = kallsyms().get(name);
        if (address == null) {
            return Optional.empty();
        }
        if (address == 0) {
            throw new PermissionException(KALLSYMS + " hides the address of '" + name + "' (needed by " + context
                    + ")", "read " + KALLSYMS, Errno.EPERM.number(), "kernel symbol '" + name + "'",
                    "addresses are shown only to CAP_SYSLOG holders when kernel.kptr_restrict allows; run as root "
                            + "or declare the extern with its type so it is resolved through BTF");
        }
        return Optional.of(address);
    }

    private Map<String, Long> kallsyms() {
        if (addresses == null) {
            addresses = AddressCache.current();
        }
        return addresses;
    }

    /**
     * {@code /proc/kallsyms}, read once per process and again only when the set of loaded modules changed: it lists
     * some 200,000 symbols, too many to read for every object loaded.
     */
    private static final class AddressCache {
        private static final Path MODULES = Path.of("/proc/modules");
        private static String modules;
        private static Map<String, Long> table;

        static synchronized Map<String, Long> current() {
            String nowLoaded = loadedModules();
            if (table == null || !nowLoaded.equals(modules)) {
                table = read();
                modules = nowLoaded;
            }
            return table;
        }

        private static String loadedModules() {
            try {
                return Files.readString(MODULES, StandardCharsets.US_ASCII);
            } catch (IOException noModules) {
                return ""; // A kernel without loadable modules: its symbols never change.
            }
        }

        private static Map<String, Long> read() {
            Map<String, Long> found = new HashMap<>();
            try {
                Kallsyms.read(KALLSYMS, (address, type, name, module) -> {
                    found.putIfAbsent(name, address);
                    return true;
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + KALLSYMS, e);
            }
            return Map.copyOf(found);
        }
    }

    private static NotFoundException missing(String name, String context, String what) {
        return new NotFoundException(context + " needs " + what + " '" + name + "', which the running kernel "
                + "does not have", "resolve __ksym", Errno.ENOENT.number(), what + " '" + name + "'",
                "check the name against /proc/kallsyms and the kernel's BTF (bpftool btf dump file "
                        + KernelBtf.VMLINUX + "); symbols of kernel modules are not resolved yet");
    }
}
