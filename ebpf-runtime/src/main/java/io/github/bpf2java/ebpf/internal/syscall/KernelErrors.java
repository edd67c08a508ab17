package io.github.bpf2java.ebpf.internal.syscall;

import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.host.Sysctl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns a failed call's errno into the right {@link KernelException} subclass, with a hint drawn from this machine's
 * state (capabilities, sysctls, kernel release) when the fix is known.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class KernelErrors {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path UID_MAP = Path.of("/proc/self/uid_map");
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    private KernelErrors() {}

    /**
     * The exception for {@code operation} failing with {@code errno}, with the generic hint for that errno.
     *
     * @param operation what was attempted, e.g. {@code BPF_MAP_CREATE} or {@code perf_event_open}
     * @param errno     the positive errno
     * @param subject   what it concerned, e.g. {@code map 'counts'}; may be empty
     */
    public static KernelException forErrno(String operation, int errno, String subject) {
        return forErrno(operation, errno, subject, null);
    }

    /**
     * The exception for {@code operation} failing with {@code errno}; {@code hint} replaces the generic hint except
     * for permission errors, whose hint always describes this machine's privileges.
     */
    public static KernelException forErrno(String operation, int errno, String subject, String hint) {
        if (Errno.EPERM.is(errno) || Errno.EACCES.is(errno)) {
            if (!concernsBpfPrivileges(operation)) {
                return new PermissionException(operation, errno, subject, hint);
            }
            // A caller's hint says already what to grant: then only what the process has and the sysctl follow.
            String why = privilegeHint(operation, hint == null);
            return new PermissionException(operation, errno, subject, hint == null ? why : hint + "; " + why);
        }
        if (Errno.ENOENT.is(errno)) {
            return new NotFoundException(operation, errno, subject, hint);
        }
        if (Errno.EBUSY.is(errno) || Errno.EEXIST.is(errno)) {
            return new BusyException(operation, errno, subject, hint);
        }
        if (Errno.EOPNOTSUPP.is(errno) || Errno.ENOTSUPP.is(errno) || Errno.ENOSYS.is(errno)) {
            return new NotSupportedException(operation, errno, subject,
                    hint != null ? hint : "this kernel (Linux " + release() + ") does not support it"
                            + (Errno.ENOSYS.is(errno) ? "; it was built without the system call" : ""));
        }
        return new KernelException(operation, errno, subject, hint != null ? hint : genericHint(errno));
    }

    /**
     * {@link #forErrno(String, int, String, String)} whose message also quotes what the kernel said about the failure
     * (a netlink extended acknowledgement, a verifier line), e.g. {@code RTM_NEWQDISC for ... failed: EEXIST (17,
     * File exists): kernel says "Exclusivity flag on, cannot modify"}.
     *
     * @param kernelMessage the kernel's words, or empty when it gave none
     */
    public static KernelException forErrno(String operation, int errno, String subject, String hint,
            String kernelMessage) {
        KernelException plain = forErrno(operation, errno, subject, hint);
        if (kernelMessage == null || kernelMessage.isBlank()) {
            return plain;
        }
        String message = KernelException.describe(operation, errno, subject) + ": kernel says \""
                + kernelMessage.strip() + "\"";
        String keptHint = plain.hint().orElse(null);
        if (plain instanceof PermissionException) {
            return new PermissionException(message, operation, errno, subject, keptHint);
        } else if (plain instanceof NotFoundException) {
            return new NotFoundException(message, operation, errno, subject, keptHint);
        } else if (plain instanceof BusyException) {
            return new BusyException(message, operation, errno, subject, keptHint);
        } else if (plain instanceof NotSupportedException) {
            return new NotSupportedException(message, operation, errno, subject, keptHint);
        }
        return new KernelException(message, operation, errno, subject, keptHint, null);
    }

    /**
     * {@code e} told with {@code hint} in place of its own: its first line (what failed, and why), its errno and its
     * type ({@code BusyException} stays one, so callers catching it still do). {@code e} is not kept as the cause:
     * its generic hint would contradict the one given.
     */
    public static KernelException withHint(KernelException e, String hint) {
        String first = e.getMessage().lines().findFirst().orElse("");
        return rebuilt(e, first, hint)
                .orElseGet(() -> new KernelException(first, e.operation(), e.errno(), e.subject(), hint, null));
    }

    /**
     * {@code e} with {@code context} before its message (which program, say, when the failure names only a file),
     * of the same type, with the same hint and stack trace; {@code e} itself when it is
     * of a subclass carrying more (a {@link io.github.bpf2java.ebpf.error.VerifierException}'s log).
     */
    public static KernelException withContext(KernelException e, String context) {
        String message = e.getMessage();
        String hintSuffix = e.hint().map(h -> "\n  hint: " + h).orElse("");
        if (!hintSuffix.isEmpty() && message.endsWith(hintSuffix)) {
            message = message.substring(0, message.length() - hintSuffix.length());
        }
        message = context + ": " + message;
        Optional<KernelException> rebuilt = rebuilt(e, message, e.hint().orElse(null));
        if (rebuilt.isEmpty()) {
            return e; // a type with more to it (a verifier log, ...) stays as it is
        }
        KernelException wrapped = rebuilt.get();
        wrapped.setStackTrace(e.getStackTrace());
        return wrapped;
    }

    /**
     * A new exception of {@code e}'s own type (one of the kinds callers catch: permission, not found, busy, not
     * supported, or plain) with {@code message} and {@code hint}; empty for a subclass carrying more than those.
     */
    private static Optional<KernelException> rebuilt(KernelException e, String message, String hint) {
        Class<?> type = e.getClass();
        if (type == PermissionException.class) {
            return Optional.of(new PermissionException(message, e.operation(), e.errno(), e.subject(), hint));
        } else if (type == NotFoundException.class) {
            return Optional.of(new NotFoundException(message, e.operation(), e.errno(), e.subject(), hint));
        } else if (type == BusyException.class) {
            return Optional.of(new BusyException(message, e.operation(), e.errno(), e.subject(), hint));
        } else if (type == NotSupportedException.class) {
            return Optional.of(new NotSupportedException(message, e.operation(), e.errno(), e.subject(), hint));
        } else if (type == KernelException.class) {
            return Optional.of(new KernelException(message, e.operation(), e.errno(), e.subject(), hint, null));
        }
        return Optional.empty();
    }

    /**
     * A {@link NotSupportedException} for a type newer than the running kernel, when {@code EINVAL} from creating or
     * loading it can be explained that way.
     *
     * @param feature   e.g. {@code map type RINGBUF}
     * @param firstKernel the first release that has it
     */
    public static Optional<KernelException> newerThanKernel(String operation, int errno, String subject, String feature,
            Optional<KernelVersion> firstKernel) {
        try {
            return newerThanKernel(operation, errno, subject, feature, firstKernel, KernelVersion.running());
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** {@link #newerThanKernel(String, int, String, String, Optional)} against a given running kernel. */
    public static Optional<KernelException> newerThanKernel(String operation, int errno, String subject, String feature,
            Optional<KernelVersion> firstKernel, KernelVersion running) {
        if (firstKernel.isEmpty() || !Errno.EINVAL.is(errno) || running.atLeast(firstKernel.get())) {
            return Optional.empty();
        }
        String message = KernelException.describe(operation, errno, subject) + ": " + feature + " needs Linux "
                + firstKernel.get() + " or later, this kernel is " + running;
        return Optional.of(new NotSupportedException(message, operation, errno, subject,
                "run on a newer kernel, or avoid " + feature));
    }

    private static String genericHint(int errno) {
        return Errno.of(errno).map(e -> switch (e) {
            case E2BIG -> "the kernel does not know an attribute that was set (it is older than the feature), or a "
                    + "size or count is larger than it allows";
            case EBADF -> "a file descriptor passed to the kernel is closed or refers to the wrong kind of object";
            case ENOMEM -> "the kernel could not allocate the memory" + memlockNote();
            case ENOSPC -> "the object is full (max_entries reached) or a log buffer was too small";
            case EINVAL -> "the kernel rejected an argument: a size, flag or type it does not accept"
                    + " (Linux " + release() + ")";
            default -> null;
        }).orElse(null);
    }

    private static String memlockNote() {
        try {
            return KernelVersion.running().atLeast(KernelVersion.BPF_MEMCG_ACCOUNTING)
                    ? ""
                    : "; before Linux 5.11 BPF memory counts against RLIMIT_MEMLOCK (see ulimit -l)";
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    // Files and mounts have their own permission rules; the BPF capability advice would mislead there.
    private static boolean concernsBpfPrivileges(String operation) {
        return operation.startsWith("BPF_") || operation.startsWith("perf_event_open")
                || operation.startsWith("PERF_EVENT_IOC");
    }

    /** What the process would need and what this machine is set to, for EPERM/EACCES. */
    static String privilegeHint(String operation) {
        return privilegeHint(operation, true);
    }

    /**
     * {@link #privilegeHint(String)}; without {@code advise}, leaves out the generic advice on what to grant (a
     * caller's hint gave a precise one).
     */
    static String privilegeHint(String operation, boolean advise) {
        String userNamespace = childUserNamespace();
        if (userNamespace != null) {
            return "this process runs in a user namespace of its own (" + userNamespace + "), where its "
                    + "capabilities count only inside it; the kernel takes BPF and perf capabilities only in the "
                    + "host's initial user namespace (a rootless container, unshare --user): run the process in the "
                    + "host's user namespace, e.g. a privileged or CAP_BPF container without a user namespace of "
                    + "its own";
        }
        long caps = effectiveCapabilities();
        boolean perf = operation.startsWith("perf_event_open") || operation.startsWith("PERF_EVENT_IOC");
        if (perf) {
            return "perf events need CAP_PERFMON or CAP_SYS_ADMIN unless kernel.perf_event_paranoid allows them; "
                    + "kernel.perf_event_paranoid = " + sysctl("kernel.perf_event_paranoid") + " on this machine"
                    + (has(caps, CAP_PERFMON) || has(caps, CAP_SYS_ADMIN)
                            ? " (this process has the capability, so a security module or lockdown refused)" : "");
        }
        if (has(caps, CAP_SYS_ADMIN) || has(caps, CAP_BPF) && has(caps, CAP_PERFMON) && has(caps, CAP_NET_ADMIN)) {
            return "this process already has " + (has(caps, CAP_SYS_ADMIN) ? "CAP_SYS_ADMIN" : "CAP_BPF")
                    + ", so something else refused: a security module (SELinux, AppArmor, BPF LSM), kernel lockdown "
                    + "(/sys/kernel/security/lockdown), or a program or attach type this kernel does not allow; "
                    + "the kernel log (dmesg) may say which";
        }
        String sysctl = sysctl("kernel.unprivileged_bpf_disabled");
        return (advise ? "run as root, or grant CAP_BPF (plus CAP_PERFMON for tracing programs, CAP_NET_ADMIN for "
                + "networking programs); " : "") + "this process has " + describeCapabilities(caps)
                + "; kernel.unprivileged_bpf_disabled = " + sysctl + " on this machine" + explainUnprivileged(sysctl);
    }

    /**
     * For {@code EPERM} from loading a program of a type that needs more than {@code CAP_BPF}: which capabilities
     * the type needs and which of them this process lacks, or {@code null} when it lacks none of them (or has
     * {@code CAP_SYS_ADMIN}, which stands for all of them), so that something else refused.
     *
     * @param what     e.g. {@code a CGROUP_SOCK_ADDR program}
     * @param netAdmin whether the kernel asks for {@code CAP_NET_ADMIN} for it (networking program types)
     * @param perfmon  whether the kernel asks for {@code CAP_PERFMON} for it (tracing program types)
     */
    public static String missingCapabilitiesHint(String what, boolean netAdmin, boolean perfmon) {
        return missingCapabilitiesHint(what, netAdmin, perfmon, effectiveCapabilities());
    }

    /** {@link #missingCapabilitiesHint(String, boolean, boolean)} for the effective capability set {@code caps}. */
    static String missingCapabilitiesHint(String what, boolean netAdmin, boolean perfmon, long caps) {
        if (caps < 0 || has(caps, CAP_SYS_ADMIN)) {
            return null;
        }
        List<String> needed = new ArrayList<>(List.of("CAP_BPF"));
        List<String> missing = new ArrayList<>();
        if (!has(caps, CAP_BPF)) {
            missing.add("CAP_BPF");
        }
        if (netAdmin) {
            needed.add("CAP_NET_ADMIN");
            if (!has(caps, CAP_NET_ADMIN)) {
                missing.add("CAP_NET_ADMIN");
            }
        }
        if (perfmon) {
            needed.add("CAP_PERFMON");
            if (!has(caps, CAP_PERFMON)) {
                missing.add("CAP_PERFMON");
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        String lacking = String.join(" and ", missing);
        return what + " needs " + String.join(" and ", needed) + " (or CAP_SYS_ADMIN); this process lacks "
                + lacking + ": grant " + (missing.size() == 1 ? "it" : "them") + " too (e.g. setpriv --inh-caps="
                + capList(missing) + " --ambient-caps=" + capList(missing) + ", or AmbientCapabilities= in a "
                + "systemd unit)";
    }

    private static String capList(List<String> caps) {
        return caps.stream().map(c -> "+" + c.substring("CAP_".length()).toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(","));
    }

    private static String explainUnprivileged(String value) {
        return switch (value) {
            case "0" -> " (unprivileged BPF allowed, but only socket filters and a few map types)";
            case "1" -> " (unprivileged BPF disabled until reboot)";
            case "2" -> " (unprivileged bpf() disabled: only privileged processes may use BPF)";
            default -> "";
        };
    }

    private static String describeCapabilities(long caps) {
        if (caps < 0) {
            return "unknown capabilities";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, caps, CAP_BPF, "CAP_BPF");
        append(sb, caps, CAP_PERFMON, "CAP_PERFMON");
        append(sb, caps, CAP_NET_ADMIN, "CAP_NET_ADMIN");
        append(sb, caps, CAP_SYS_ADMIN, "CAP_SYS_ADMIN");
        return sb.length() == 0 ? "none of CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN, CAP_SYS_ADMIN" : sb.toString();
    }

    private static void append(StringBuilder sb, long caps, int cap, String name) {
        if (has(caps, cap)) {
            sb.append(sb.length() == 0 ? "" : ", ").append(name);
        }
    }

    /**
     * The hint for a uprobe the kernel refused with a permission error, when this process has CAP_PERFMON but not
     * CAP_SYS_ADMIN: the kernel's uprobe event wants the latter (measured on Linux 6.18: a process holding CAP_BPF
     * and CAP_PERFMON gets EACCES, with CAP_SYS_ADMIN it attaches), where kprobes, tracepoints and sampling events
     * take CAP_PERFMON.
     */
    public static Optional<String> uprobeCapabilityHint() {
        long caps = effectiveCapabilities();
        if (!has(caps, CAP_PERFMON) || has(caps, CAP_SYS_ADMIN)) {
            return Optional.empty();
        }
        return Optional.of("uprobes (and USDT probes, which are uprobes) need CAP_SYS_ADMIN: this process has "
                + "CAP_PERFMON, which the kernel takes for kprobes, tracepoints and sampling events but not for a "
                + "uprobe, which plants a breakpoint in the code of every process that maps the file; grant "
                + "CAP_SYS_ADMIN, or run as root");
    }

    private static boolean has(long caps, int cap) {
        return caps >= 0 && (caps & (1L << cap)) != 0;
    }

    /**
     * How this process's user namespace maps ids when it is not the initial one (whose {@code uid_map} maps all ids
     * onto themselves, {@code 0 0 4294967295}); null in the initial namespace or when it cannot be told.
     */
    private static String childUserNamespace() {
        try {
            String map = Files.readString(UID_MAP, StandardCharsets.US_ASCII).trim().replaceAll("\\s+", " ");
            return map.equals("0 0 4294967295") || map.isEmpty() ? null : "uid_map " + map;
        } catch (IOException | SecurityException unreadable) {
            return null;
        }
    }

    /** The effective capability set from {@code /proc/self/status}, or -1 when unreadable. */
    private static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException unreadable) {
            // Fall through: the hint then says the capabilities are unknown.
        }
        return -1;
    }

    private static String sysctl(String name) {
        return Sysctl.read(name).orElse("unknown (/proc/sys/" + name.replace('.', '/') + " unreadable)");
    }

    private static String release() {
        try {
            return KernelVersion.running().release();
        } catch (RuntimeException unreadable) {
            return "unknown";
        }
    }
}
