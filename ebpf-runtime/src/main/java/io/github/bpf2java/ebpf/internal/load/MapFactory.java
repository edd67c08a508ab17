package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.bpf.MapCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.bpf.MapInfo;
import io.github.bpf2java.ebpf.internal.bpf.MapFlag;
import io.github.bpf2java.ebpf.internal.events.MapCreateEvent;
import io.github.bpf2java.ebpf.internal.host.CpuList;
import io.github.bpf2java.ebpf.internal.host.Sysctl;
import io.github.bpf2java.ebpf.internal.ringbuf.RingBufferLayout;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Creates the kernel map for one {@link MapSpec}: applies the caller's {@code max_entries} override, sizes a perf
 * event array to the possible CPUs when the object leaves it at 0, checks a ring buffer's size before the kernel
 * refuses it with a bare EINVAL, gives ring buffers and perf event arrays their fixed key and value sizes whatever
 * types the object declared for them, creates the inner-map template of a map-in-map, and attaches the BTF key and
 * value types where the map type takes them. Contents are written by the caller.
 */
public final class MapFactory {
    private static final System.Logger LOG = System.getLogger(MapFactory.class.getName());
    /** Kernel object names hold 15 characters; data maps get {@code <object prefix><section>} like libbpf's. */
    private static final int DATA_MAP_PREFIX = 8;

    /**
     * Map types whose kernel implementation has no use for BTF key/value types and refuses them (their values are
     * descriptors or their keys implicit), per the kernel's {@code map_check_btf}.
     */
    private static final Set<MapType> WITHOUT_BTF_TYPES = EnumSet.of(MapType.PERF_EVENT_ARRAY,
            MapType.CGROUP_ARRAY, MapType.STACK_TRACE, MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS,
            MapType.DEVMAP, MapType.DEVMAP_HASH, MapType.CPUMAP, MapType.XSKMAP, MapType.SOCKMAP, MapType.SOCKHASH,
            MapType.QUEUE, MapType.STACK, MapType.ARENA, MapType.RINGBUF, MapType.USER_RINGBUF,
            MapType.PROG_ARRAY);

    /** Map types whose declared key and value types describe records they carry, not their kernel layout. */
    private static final Set<MapType> RECORD_CARRIERS = EnumSet.of(MapType.RINGBUF, MapType.USER_RINGBUF,
            MapType.PERF_EVENT_ARRAY);

    /** Map types whose {@code max_entries} is 0 by rule: storage attached to other objects. */
    private static final Set<MapType> UNCOUNTED = EnumSet.of(MapType.CGROUP_STORAGE, MapType.PERCPU_CGROUP_STORAGE,
            MapType.SK_STORAGE, MapType.INODE_STORAGE, MapType.TASK_STORAGE, MapType.CGRP_STORAGE);
    /** Map types without a value: ring buffers (records instead) and arenas (pages instead). */
    private static final Set<MapType> VALUELESS = EnumSet.of(MapType.RINGBUF, MapType.USER_RINGBUF,
            MapType.PERF_EVENT_ARRAY, MapType.ARENA);

    private final String objectName;
    private final Optional<Fd> btf;
    private final LoadSettings options;

    MapFactory(String objectName, Optional<Fd> btf, LoadSettings options) {
        this.objectName = objectName;
        this.btf = btf;
        this.options = options;
    }

    /**
     * Creates {@code spec}'s map on its own, outside any object, empty: with the checks and adjustments of
     * {@link #create}, without BTF types (there is no object BTF to take them from).
     *
     * @throws IllegalArgumentException for what only an object's loader can make: global data, {@code .kconfig},
     *                                  struct_ops, and maps with initial slots or contents
     */
    public static MapFd createStandalone(MapSpec spec) {
        String refused = spec.isGlobalData() ? "global data (a section of an object's variables)"
                : spec.kind() == MapSpec.MapKind.KCONFIG ? "the .kconfig externs of an object"
                : spec.type() == MapType.STRUCT_OPS ? "a struct_ops map, which only its object's programs fill"
                : !spec.initialSlots().isEmpty() ? "a map with initial slots (the maps or programs they name belong "
                        + "to an object); create it without them and fill it with putMap or putProgram"
                : spec.contents().length > 0 ? "a map with initial contents; create it empty and write them"
                : null;
        if (refused != null) {
            throw new IllegalArgumentException("map '" + spec.name() + "' cannot be created on its own: it is "
                    + refused);
        }
        return new MapFactory(spec.name(), Optional.empty(), new LoadSettings(Map.of(), Map.of(), Map.of(),
                Map.of(), Map.of(), Map.of(), Map.of(), Optional.empty(), 0)).create(spec);
    }

    /** Creates {@code spec}'s map, empty. */
    MapFd create(MapSpec spec) {
        MapCreateEvent event = new MapCreateEvent(); // Flight Recorder: io.github.bpf2java.MapCreate
        event.begin();
        MapFd map = createWithInner(spec);
        event.end();
        if (event.shouldCommit()) {
            event.map = spec.name();
            event.type = spec.type().name();
            event.keySize = spec.keySize();
            event.valueSize = valueSize(spec);
            event.maxEntries = maxEntries(spec);
            try {
                MapInfo info = map.info();
                event.mapId = info.id();
                event.kernelName = info.name();
            } catch (RuntimeException e) {
                // the id is a courtesy for the recording; the map is made either way
            }
            event.commit();
        }
        return map;
    }

    private MapFd createWithInner(MapSpec spec) {
        if (spec.innerMap().isEmpty()) {
            return create(spec, Optional.empty());
        }
        // The kernel copies what it needs from the template; the template itself can go right after.
        try (MapFd inner = create(spec.innerMap().get(), Optional.empty())) {
            return create(spec, Optional.of(inner.fd()));
        }
    }

    /**
     * Creates a struct_ops map: one entry whose value is the kernel's {@code bpf_struct_ops_<name>}, described by the
     * kernel's BTF id (the object's BTF must come along, though the kernel only checks it is valid).
     */
    MapFd createStructOps(MapSpec spec, StructOpsLayout layout) {
        MapCreateRequest.Builder request = MapCreateRequest.builder(spec.type(), 4, layout.template().length, 1)
                .flags(layout.registeredByLink() ? MapFlag.LINK.value() : 0)
                .name(spec.name())
                .btf(btf.orElseThrow(), 0, 0)
                .btfVmlinuxValueTypeId(layout.valueTypeId());
        return MapFd.create(request.build());
    }

    private MapFd create(MapSpec spec, Optional<Fd> innerMap) {
        checkRingBufferSize(spec);
        KernelAdaptation.checkGlobalData(spec, objectName);
        if (unsized(spec)) {
            throw new BpfException("map '" + spec.name() + "' of " + objectName + " (" + spec.type() + ") has "
                    + unsizedFields(spec) + " 0, which the kernel refuses: the object leaves it to be set before "
                    + "loading, as libbpf tools do with bpf_map__set_max_entries()/bpf_map__set_value_size()",
                    "give it with LoadOptions.builder()" + unsizedSetters(spec) + ", or with the generated class's "
                    + "options()" + unsizedSetters(spec).replace(".valueSize(", ".configure(b -> b.valueSize(")
                            .replace("bytes)", "bytes))"), null);
        }
        try {
            return createSized(spec, innerMap);
        } catch (KernelException e) {
            if (Errno.EINVAL.is(e.errno())
                    && (spec.type() == MapType.RINGBUF || spec.type() == MapType.USER_RINGBUF)) {
                throw KernelErrors.withHint(e, "the max_entries of ring buffer '" + spec.name() + "' is its size in "
                        + "bytes (" + maxEntries(spec) + "), which must be a power of two and a multiple of the page "
                        + "size (4096 on most machines), e.g. 256 * 1024; set it in the C definition, or with "
                        + maxEntriesSetters(spec, "bytes"));
            }
            if (Errno.EINVAL.is(e.errno()) && spec.type() == MapType.STACK_TRACE) {
                String limit = Sysctl.read("kernel.perf_event_max_stack").orElse("127 by default");
                throw KernelErrors.withHint(e, "a stack trace map's value is an array of 8-byte frame addresses: "
                        + "its value size (" + valueSize(spec) + " here) must be a positive multiple of 8, of at "
                        + "most kernel.perf_event_max_stack frames (" + limit + " here), and its key 4 bytes; "
                        + "e.g. LoadOptions.builder().valueSize(\"" + spec.name() + "\", 127 * 8)");
            }
            throw e;
        }
    }

    /** Whether the object left a size of {@code spec} at 0 and the caller did not set it. */
    private boolean unsized(MapSpec spec) {
        return !unsizedFields(spec).isEmpty();
    }

    /**
     * A ring buffer's {@code max_entries} is its size in bytes, which the kernel takes only as a power-of-two
     * multiple of the page size; refused with a bare EINVAL otherwise, so checked here with the sizes that would do.
     */
    private void checkRingBufferSize(MapSpec spec) {
        if (!isRingBuffer(spec.type())) {
            return;
        }
        int size = maxEntries(spec);
        int page = Libc.pageSize();
        if (size == 0 || RingBufferLayout.isValidSize(Integer.toUnsignedLong(size), page)) {
            return; // 0 is left for the caller to set; the unsized hint covers it if they did not
        }
        String nearest = Arrays.stream(RingBufferLayout.nearestValidSizes(Integer.toUnsignedLong(size), page))
                .mapToObj(Long::toString).collect(Collectors.joining(" or "));
        long suggestion = RingBufferLayout.nearestValidSizes(Integer.toUnsignedLong(size), page)[0];
        throw new BpfException("map '" + spec.name() + "' of " + objectName + " is a ring buffer ("
                + spec.type() + ") of " + Integer.toUnsignedString(size) + " bytes (max_entries), which the kernel "
                + "refuses: a ring buffer's size must be a power-of-two multiple of the page size (" + page + " bytes)",
                "make it " + nearest + ": in the C definition (__uint(max_entries, " + suggestion + ")), or with "
                        + maxEntriesSetters(spec, Long.toString(suggestion)),
                null);
    }

    /** The calls that set {@code spec}'s max_entries to {@code value} before load, for hints. */
    private static String maxEntriesSetters(MapSpec spec, String value) {
        String arguments = "(\"" + spec.name() + "\", " + value + ")";
        return "LoadOptions.builder().maxEntries" + arguments + " (with the generated class, options().maxEntries"
                + arguments + ")";
    }

    private static boolean isRingBuffer(MapType type) {
        return type == MapType.RINGBUF || type == MapType.USER_RINGBUF;
    }

    private String unsizedFields(MapSpec spec) {
        List<String> fields = new ArrayList<>();
        if (maxEntries(spec) == 0 && !UNCOUNTED.contains(spec.type())) {
            fields.add("max_entries");
        }
        if (valueSize(spec) == 0 && !VALUELESS.contains(spec.type())) {
            fields.add("value_size");
        }
        return String.join(" and ", fields);
    }

    private String unsizedSetters(MapSpec spec) {
        StringBuilder setters = new StringBuilder();
        if (maxEntries(spec) == 0 && !UNCOUNTED.contains(spec.type())) {
            setters.append(".maxEntries(\"").append(spec.name()).append("\", entries)");
        }
        if (valueSize(spec) == 0 && !VALUELESS.contains(spec.type())) {
            setters.append(".valueSize(\"").append(spec.name()).append("\", bytes)");
        }
        return setters.toString();
    }

    private MapFd createSized(MapSpec spec, Optional<Fd> innerMap) {
        try {
            return createWithFlags(spec, innerMap, KernelAdaptation.mapFlags(spec, options.mapFlags()
                    .getOrDefault(spec.name(), spec.flags()), options.mapFlags().containsKey(spec.name())));
        } catch (KernelException e) {
            int flags = options.mapFlags().getOrDefault(spec.name(), spec.flags());
            if (!Errno.EINVAL.is(e.errno()) || !spec.isGlobalData() || options.mapFlags().containsKey(spec.name())
                    || (flags & MapFlag.MMAPABLE.value()) == 0) {
                throw e;
            }
            // Linux before 5.5 has no mmapable arrays: the data map is made without, and its globals are read through
            // lookups (GlobalVariable refuses writes then, rather than rewriting the whole section).
            LOG.log(Level.DEBUG, () -> "data map '" + spec.name() + "' refused BPF_F_MMAPABLE (" + e.errnoName()
                    + "); creating it without");
            return createWithFlags(spec, innerMap, flags & ~MapFlag.MMAPABLE.value());
        }
    }

    private MapFd createWithFlags(MapSpec spec, Optional<Fd> innerMap, int flags) {
        MapCreateRequest.Builder request = MapCreateRequest.builder(spec.type(), keySize(spec), valueSize(spec),
                        maxEntries(spec))
                .flags(flags)
                .name(kernelName(spec))
                .mapExtra(options.mapExtra().getOrDefault(spec.name(), spec.mapExtra()));
        innerMap.ifPresent(request::innerMap);
        if ((spec.flags() & MapFlag.NUMA_NODE.value()) != 0) {
            request.numaNode(spec.numaNode());
        }
        // A value size set at load time no longer matches the value type the object declared.
        boolean typed = btf.isPresent() && (spec.keyTypeId() != 0 || spec.valueTypeId() != 0)
                && !WITHOUT_BTF_TYPES.contains(spec.type()) && valueSize(spec) == spec.valueSize();
        if (!typed) {
            return MapFd.create(request.build());
        }
        try {
            return MapFd.create(request.btf(btf.get(), spec.keyTypeId(), spec.valueTypeId()).build());
        } catch (KernelException e) {
            if (!Errno.EINVAL.is(e.errno()) && !Errno.ENOTSUPP.is(e.errno()) && !Errno.EOPNOTSUPP.is(e.errno())) {
                throw e;
            }
            // Types are a convenience for tools like bpftool; a kernel that rejects them still gets the map.
            LOG.log(Level.DEBUG, () -> "map '" + spec.name() + "' refused its BTF types (" + e.errnoName()
                    + "); creating it without them");
            return MapFd.create(request.btf(null, 0, 0).build());
        }
    }

    /** What {@link #create} would create for {@code spec}: its type, sizes and flags after the caller's overrides. */
    MapCompatibility shape(MapSpec spec) {
        int flags = options.mapFlags().getOrDefault(spec.name(), spec.flags());
        return new MapCompatibility(spec.type(), spec.keySize(), valueSize(spec), maxEntries(spec), flags,
                options.mapExtra().getOrDefault(spec.name(), spec.mapExtra()));
    }

    private int valueSize(MapSpec spec) {
        Integer override = options.valueSizes().get(spec.name());
        if (override != null) {
            return override;
        }
        // cilium/ebpf users declare __type(value, struct event) on ring buffers and perf event arrays so the record
        // type reaches the BTF; the kernel wants no value there (ring buffers) or a descriptor (perf arrays). The
        // type stays in the spec for typed readers.
        if (RECORD_CARRIERS.contains(spec.type())) {
            return spec.type() == MapType.PERF_EVENT_ARRAY ? Integer.BYTES : 0;
        }
        return spec.valueSize();
    }

    private static int keySize(MapSpec spec) {
        if (RECORD_CARRIERS.contains(spec.type())) {
            return spec.type() == MapType.PERF_EVENT_ARRAY ? Integer.BYTES : 0;
        }
        return spec.keySize();
    }

    private int maxEntries(MapSpec spec) {
        Integer override = options.maxEntries().get(spec.name());
        if (override != null) {
            return override;
        }
        if (spec.type() == MapType.PERF_EVENT_ARRAY && spec.maxEntries() == 0) {
            return CpuList.possible().count();
        }
        return spec.maxEntries();
    }

    private String kernelName(MapSpec spec) {
        if (!spec.isGlobalData() && spec.kind() != MapSpec.MapKind.KCONFIG) {
            return spec.name();
        }
        String prefix = objectName.substring(0, Math.min(DATA_MAP_PREFIX, objectName.length()));
        return prefix + spec.name();
    }
}
