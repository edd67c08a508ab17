package io.github.bpf2java.ebpf.internal.usdt;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.elf.ExecutableFile;
import io.github.bpf2java.ebpf.internal.elf.StapsdtNotes;
import io.github.bpf2java.ebpf.internal.host.BinaryPaths;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.link.KernelLink;
import io.github.bpf2java.ebpf.internal.link.Probes;
import io.github.bpf2java.ebpf.internal.link.TracingAttacher;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * USDT support for one loaded object, doing the user-space half of what libbpf's {@code usdt.bpf.h} expects: for
 * each call site of a probe, the argument spec is parsed and written into the {@code __bpf_usdt_specs} map under a
 * spec id, and a uprobe is attached at the call site with the spec id as its BPF cookie (and the probe's semaphore,
 * if any, counted by the kernel). Call sites with the same argument spec share one id. Ids return to the pool when
 * the attachment closes.
 *
 * <p>Like libbpf on kernels with BPF cookies (Linux 5.15+), the {@code __bpf_usdt_ip_to_spec_id} map is not used.
 * A program loaded for uprobe.multi links (where the kernel has them) gets one such link for all call sites, with
 * a cookie and semaphore offset per site, instead of a uprobe per site: a uprobe's close waits about 0.1 s for
 * the kernel, so a probe of hundreds of sites would take a minute to detach.
 */
public final class UsdtAttacher {
    static final String SPECS_MAP = "__bpf_usdt_specs";
    private static final int SUGGESTED_PROBES = 8;
    static final String IP_MAP = "__bpf_usdt_ip_to_spec_id";

    private final ObjectSpec spec;
    private final Map<String, MapFd> maps;
    private final Deque<Integer> freeIds = new ArrayDeque<>();
    private int nextId;

    public UsdtAttacher(ObjectSpec spec, Map<String, MapFd> maps) {
        this.spec = spec;
        this.maps = maps;
    }

    /**
     * Attaches {@code program} to every call site of {@code provider:name} in {@code binary}.
     *
     * @param pid    only this process, or -1 for all
     * @param cookie what {@code bpf_usdt_cookie()} returns
     * @param multiLink whether the program was loaded for uprobe.multi links ({@code BPF_TRACE_UPROBE_MULTI})
     */
    public KernelLink attach(Fd program, String programName, String binary, String provider, String name, int pid,
            long cookie, boolean multiLink) {
        String description = "usdt " + binary + ":" + provider + ":" + name + (pid > 0 ? " of pid " + pid : "");
        MapFd specs = maps.get(SPECS_MAP);
        if (specs == null || !maps.containsKey(IP_MAP)) {
            throw new BpfException("program '" + programName + "' cannot attach to " + description + ": "
                    + spec.name() + " has no " + SPECS_MAP + " map", "USDT programs read their arguments through "
                            + "libbpf's usdt.bpf.h: #include <bpf/usdt.bpf.h> and use BPF_USDT(...) or "
                            + "bpf_usdt_arg(ctx, n, &value)", null);
        }
        UsdtSpecLayout layout = spec.btf().flatMap(UsdtSpecLayout::of).orElseThrow(() -> new BpfException(
                spec.name() + " has the USDT maps but no BTF for struct " + UsdtSpecLayout.SPEC_STRUCT,
                "compile with -g so clang emits .BTF", null));
        if (!KernelVersion.running().atLeast(KernelVersion.of(5, 15))) {
            throw new NotSupportedException("USDT probes need BPF cookies on perf event links (Linux 5.15+); this "
                    + "kernel is " + KernelVersion.running(), "attach " + description, Errno.EOPNOTSUPP.number(),
                    description, "run on Linux 5.15 or later");
        }
        Path path = BinaryPaths.resolve(binary);
        List<StapsdtNotes.Probe> all = StapsdtNotes.read(ExecutableFile.open(path));
        List<StapsdtNotes.Probe> sites = all.stream()
                .filter(p -> p.provider().equals(provider) && p.name().equals(name)).toList();
        if (sites.isEmpty()) {
            throw new NotFoundException(path + " has no USDT probe " + provider + ":" + name, "attach " + description,
                    Errno.ENOENT.number(), description, all.isEmpty() ? "it has no .note.stapsdt notes at all; "
                            + "build it with <sys/sdt.h> probes" : probesLike(all, provider, name));
        }
        Map<String, Integer> idBySpec = new LinkedHashMap<>();
        List<KernelLink> parts = new ArrayList<>();
        String withSites = description + " (" + sites.size() + " call site" + (sites.size() == 1 ? "" : "s") + ")";
        try {
            long[] ids = new long[sites.size()];
            for (int i = 0; i < sites.size(); i++) {
                StapsdtNotes.Probe site = sites.get(i);
                Integer id = idBySpec.get(site.arguments());
                if (id == null) {
                    byte[] value = layout.encode(arguments(site, path), cookie);
                    id = allocate(specs.maxEntries(), description);
                    idBySpec.put(site.arguments(), id);
                    specs.update(MapFd.int32(id), value, 0);
                }
                ids[i] = id;
                if (!multiLink) {
                    parts.add(Probes.uprobe(program, new Probes.Uprobe(path, site.offset(), false, pid,
                            site.semaphoreOffset(), id, description + " at 0x" + Long.toHexString(site.offset()))));
                }
            }
            if (multiLink) {
                List<Integer> held = List.copyOf(idBySpec.values());
                return KernelLink.withCleanUp(uprobeMulti(program, path, sites, ids, pid, withSites),
                        () -> release(held), "the USDT argument specs it reads live in this object's "
                                + SPECS_MAP + " only while the link is open here");
            }
        } catch (RuntimeException e) {
            parts.forEach(KernelLink::close);
            release(idBySpec.values());
            throw e;
        }
        List<Integer> held = List.copyOf(idBySpec.values());
        return KernelLink.composite(withSites, parts, () -> release(held), "it is " + parts.size() + " uprobe link"
                + (parts.size() == 1 ? "" : "s") + " (one per call site) plus USDT argument specs");
    }

    /**
     * One uprobe.multi link on every call site, each with its spec id as cookie and its semaphore's offset; the
     * kernel's {@code EINVAL} (all it says for an offset or semaphore it cannot use) gets the sites it was given.
     */
    private static KernelLink uprobeMulti(Fd program, Path path, List<StapsdtNotes.Probe> sites, long[] ids,
            int pid, String description) {
        long[] offsets = sites.stream().mapToLong(StapsdtNotes.Probe::offset).toArray();
        long[] semaphores = sites.stream().mapToLong(StapsdtNotes.Probe::semaphoreOffset).toArray();
        boolean anySemaphore = Arrays.stream(semaphores).anyMatch(o -> o != 0);
        try {
            return TracingAttacher.uprobeMultiAt(program, path, offsets, anySemaphore ? semaphores : new long[0],
                    ids, false, pid, description);
        } catch (NotFoundException e) {
            throw e;
        } catch (KernelException e) {
            if (!Errno.EINVAL.is(e.errno())) {
                throw e;
            }
            // EINVAL is all the kernel says for an offset past the file's end, or a semaphore offset unlike the one
            // another uprobe at the same instruction was given.
            throw KernelErrors.withHint(e, "the kernel refused the call sites' file offsets " + hex(offsets)
                    + (anySemaphore ? " or semaphore offsets " + hex(semaphores) : "") + " in " + path + ": check "
                    + "them against readelf -n " + path + ", and that no other uprobe at those places (bpftool "
                    + "link, perf probe -l) counts a different semaphore");
        }
    }

    private static List<String> hex(long[] values) {
        return java.util.Arrays.stream(values).mapToObj(v -> "0x" + Long.toHexString(v)).toList();
    }

    /** The site's arguments; a failure names the probe, the binary and the call site. */
    private static List<UsdtArgument> arguments(StapsdtNotes.Probe site, Path path) {
        try {
            return UsdtArgument.parseAll(site.arguments(), System.getProperty("os.arch"));
        } catch (BpfException e) {
            throw new BpfException("USDT probe " + site.provider() + ":" + site.name() + " of " + path + " at 0x"
                    + Long.toHexString(site.offset()) + ": " + e.getMessage().lines().findFirst().orElse(""),
                    e.hint().orElse(null), e);
        }
    }

    private synchronized int allocate(int capacity, String description) {
        if (!freeIds.isEmpty()) {
            return freeIds.pop();
        }
        if (nextId >= capacity) {
            throw new BpfException("no free USDT spec id for " + description + ": " + SPECS_MAP + " holds "
                    + capacity, "define BPF_USDT_MAX_SPEC_CNT larger before including usdt.bpf.h, or set "
                            + "LoadOptions.builder().maxEntries(\"" + SPECS_MAP + "\", n)", null);
        }
        return nextId++;
    }

    private synchronized void release(Iterable<Integer> ids) {
        ids.forEach(freeIds::push);
    }

    /**
     * The probes to suggest instead of {@code provider:name}: a libjvm has hundreds, so a few, those sharing the
     * most of the name asked for (provider first), and how many more there are.
     */
    static String probesLike(List<StapsdtNotes.Probe> all, String provider, String name) {
        List<String> names = all.stream().map(p -> p.provider() + ":" + p.name()).distinct().sorted().toList();
        if (names.size() <= SUGGESTED_PROBES) {
            return "its probes: " + names;
        }
        String wanted = provider + ":" + name;
        List<String> closest = names.stream()
                .sorted(Comparator.comparingInt((String n) -> n.startsWith(provider + ":") ? 0 : 1)
                        .thenComparingInt(n -> -sharedLength(n.substring(n.indexOf(':') + 1), name))
                        .thenComparing(n -> n))
                .limit(SUGGESTED_PROBES).toList();
        int more = names.size() - closest.size();
        return "probes like " + wanted + ": " + closest + " and " + more + " more (readelf -n lists them)";
    }

    /** The length of the longest run of characters {@code a} and {@code b} share. */
    private static int sharedLength(String a, String b) {
        int best = 0;
        for (int i = 0; i < a.length(); i++) {
            for (int j = 0; j < b.length(); j++) {
                int k = 0;
                while (i + k < a.length() && j + k < b.length() && a.charAt(i + k) == b.charAt(j + k)) {
                    k++;
                }
                best = Math.max(best, k);
            }
        }
        return best;
    }
}
