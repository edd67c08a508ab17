package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.internal.bpf.BtfObjects;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.bpf.Pins;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Puts an {@link ObjectSpec} into the kernel: its BTF, then every map (with global data and {@code .kconfig}
 * contents written and read-only data frozen), then each selected program, linked with its subprograms and
 * relocated against those maps, then the initial slots of prog arrays and map-in-maps. Either everything is
 * created or nothing is left open.
 */
public final class ObjectLoader {
    /** The way out of a pin by name in the way, for hints. */
    private static final String OTHER_ROOT = "or pin by name under another root (LoadOptions.builder().pinRoot(...))";
    private static final String KCONFIG = ".kconfig";
    /** {@code LIBBPF_PIN_NONE} and {@code LIBBPF_PIN_BY_NAME}, the {@code pinning} values of a map definition. */
    private static final int PIN_NONE = 0;
    private static final int PIN_BY_NAME = 1;

    private final ObjectSpec spec;
    private final LoadSettings options;

    private ObjectLoader(ObjectSpec spec, LoadSettings options) {
        this.spec = spec;
        this.options = options;
    }

    /**
     * Loads {@code spec}.
     *
     * @throws BpfException naming the map or program at fault; nothing created so far stays open
     */
    public static LoadedObject load(ObjectSpec spec, LoadSettings options) {
        return new ObjectLoader(spec, options).load();
    }

    private LoadedObject load() {
        checkByteOrder();
        checkOptions();
        Optional<Btf> btf = KernelAdaptation.objectBtf(spec);
        Optional<Fd> btfFd = Optional.empty();
        Map<String, MapFd> maps = new LinkedHashMap<>();
        Map<String, Fd> programs = new LinkedHashMap<>();
        Map<String, Path> pinPaths = new LinkedHashMap<>();
        List<Path> pinnedHere = new ArrayList<>();
        Set<String> reused = new HashSet<>();
        Map<String, MapFd> pinnedByName = new LinkedHashMap<>();
        try {
            if (btf.isPresent()) {
                btfFd = Optional.of(BtfObjects.load(btf.get().rawBytes(), "BTF of " + spec.name()));
            }
            MapFactory factory = new MapFactory(spec.name(), btfFd, options);
            pinnedByName = openPinnedByName(factory);
            Map<String, StructOpsLayout> structOps = new LinkedHashMap<>();
            for (MapSpec map : spec.maps()) {
                if (map.kind() == MapSpec.MapKind.STRUCT_OPS) {
                    if (structOpsWanted(map)) {
                        KernelAdaptation.checkBtf(btf, spec, "struct_ops map '" + map.name() + "'");
                        StructOpsLayout layout = StructOpsLayout.of(spec.name(), map, spec.btf().orElseThrow(),
                                KernelBtf.vmlinux());
                        maps.put(map.name(), factory.createStructOps(map, layout));
                        structOps.put(map.name(), layout);
                    }
                    continue;
                }
                MapFd existing = existingMap(map, factory, pinnedByName, pinPaths);
                if (existing != null) {
                    // Another object's, or pinned: its contents are left as they are, as libbpf leaves them.
                    maps.put(map.name(), existing);
                    reused.add(map.name());
                    continue;
                }
                MapFd fd = factory.create(map);
                maps.put(map.name(), fd);
                writeContents(map, fd);
                if (map.pinning() == PIN_BY_NAME) {
                    Path path = options.pinRoot().resolve(map.name());
                    fd.pin(path);
                    pinnedHere.add(path);
                    pinPaths.put(map.name(), path);
                }
            }
            ProgramLinker linker = new ProgramLinker(spec.functions());
            Relocator relocator = new Relocator(spec, maps, new KernelSymbols());
            ProgramLoader loader = new ProgramLoader(spec, btfFd, btf, options, structOps.values());
            for (ProgramSpec program : spec.programs()) {
                if (options.programs().map(names -> names.contains(program.name())).orElse(program.autoload())) {
                    LinkedProgram linked = linker.link(program);
                    relocator.apply(linked);
                    programs.put(program.name(), loader.load(program, linked));
                }
            }
            fillSlots(maps, programs, reused);
            return new LoadedObject(btfFd, maps, programs, structOps, pinPaths,
                    loader.loadedForUprobeMulti());
        } catch (RuntimeException e) {
            List<AutoCloseable> created = new ArrayList<>(programs.values());
            created.addAll(maps.values());
            created.addAll(pinnedByName.values());
            btfFd.ifPresent(created::add);
            // A failed load leaves no pin behind that it made; pins it found stay.
            pinnedHere.forEach(path -> created.add(() -> Files.deleteIfExists(path)));
            try {
                Closeables.closeAll(created);
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * The map to use instead of creating {@code map}: one the caller handed over for it, or, for a map declared
     * {@code LIBBPF_PIN_BY_NAME}, the one pinned under its name in the pin root (opened and checked beforehand by
     * {@link #openPinnedByName}); null to create it.
     */
    private MapFd existingMap(MapSpec map, MapFactory factory, Map<String, MapFd> pinnedByName,
            Map<String, Path> pinPaths) {
        MapFd given = options.reusedMaps().get(map.name());
        if (given != null) {
            factory.shape(map).check(given, "map '" + map.name() + "' of " + spec.name(), "'" + given.name()
                    + "' given to reuse", "reuse a map of the same definition, or leave it out of "
                    + "LoadOptions.reuseMap");
            return MapFd.adopt(given.fd().dup());
        }
        MapFd pinned = pinnedByName.remove(map.name());
        if (pinned != null) {
            pinPaths.put(map.name(), options.pinRoot().resolve(map.name()));
        }
        return pinned;
    }

    /**
     * Opens, before anything is created, the pin each map declared {@code LIBBPF_PIN_BY_NAME} will reuse, and
     * checks it against the map's definition; the load then uses these descriptors, so what was checked is what is
     * used, even if the pin is replaced meanwhile. When several pins are left from another definition (an upgrade
     * that changed several maps), one failure names them all, rather than one failed load per pin.
     *
     * @return the opened pins by map name, for the caller to use or close
     */
    private Map<String, MapFd> openPinnedByName(MapFactory factory) {
        Map<String, MapFd> opened = new LinkedHashMap<>();
        try {
            List<BpfException> stale = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            for (MapSpec map : spec.maps()) {
                if (map.kind() == MapSpec.MapKind.STRUCT_OPS || options.reusedMaps().containsKey(map.name())) {
                    continue;
                }
                if (map.pinning() != PIN_NONE && map.pinning() != PIN_BY_NAME) {
                    throw new BpfException("map '" + map.name() + "' of " + spec.name() + " asks for pinning type "
                            + map.pinning() + ", which libbpf does not define", "use __uint(pinning, "
                                    + "LIBBPF_PIN_BY_NAME) or leave pinning out", null);
                }
                Path path = options.pinRoot().resolve(map.name());
                if (map.pinning() != PIN_BY_NAME || !Files.exists(path)) {
                    continue;
                }
                try {
                    MapFd pinned = MapFd.adopt(Pins.open(path, 0, "map", "remove it (rm " + path + ") to have map '"
                            + map.name() + "' created and pinned there, " + OTHER_ROOT));
                    opened.put(map.name(), pinned);
                    factory.shape(map).check(pinned, "map '" + map.name() + "' of " + spec.name(), "pinned at "
                            + path, "the pin is left from a different definition of the map: remove it (rm " + path
                                    + ") to have it created anew, " + OTHER_ROOT);
                } catch (BpfException e) {
                    stale.add(e);
                    paths.add(path.toString());
                }
            }
            if (stale.size() == 1) {
                throw stale.get(0);
            }
            if (stale.size() > 1) {
                throw new BpfException(stale.size() + " maps pinned by name cannot be used:\n  "
                        + stale.stream().map(e -> e.getMessage().lines().findFirst().orElse(""))
                                .collect(Collectors.joining("\n  ")), "the pins are left from a different definition "
                                        + "of the maps: remove them (rm " + String.join(" ", paths) + ") to have them "
                                        + "created anew, " + OTHER_ROOT, null);
            }
            return opened;
        } catch (RuntimeException e) {
            try {
                Closeables.closeAll(List.copyOf(opened.values()));
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static String endian(ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian";
    }

    /**
     * Whether to create a struct_ops map: always, unless the caller chose programs and none of them implements a
     * member of it (then the map and its structure, which the kernel may not even have, are left out).
     */
    private boolean structOpsWanted(MapSpec map) {
        if (spec.btf().isEmpty()) {
            throw new BpfException(spec.name() + " defines struct_ops map '" + map.name() + "' without BTF",
                    "compile with -g: the kernel matches struct_ops structures by their BTF", null);
        }
        return options.programs().map(names -> map.initialSlots().stream()
                .anyMatch(slot -> names.contains(slot.targetName()))).orElse(true);
    }

    /** Rejects an object of the other byte order, which would reach the kernel as BTF it cannot read. */
    private void checkByteOrder() {
        if (spec.byteOrder() != ByteOrder.nativeOrder()) {
            throw new BpfException(spec.name() + " is a " + endian(spec.byteOrder()) + " object, and this machine is "
                    + endian(ByteOrder.nativeOrder()), "build it for this machine: clang -target bpf (the host's "
                    + "order) or -target " + (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "bpfel" : "bpfeb")
                    + "; the plugin's generated classes pick the object of the host's order themselves", null);
        }
    }

    /** Rejects options that name things the object does not have, before anything is created. */
    private void checkOptions() {
        for (Map.Entry<String, byte[]> constant : options.constants().entrySet()) {
            VariableSpec variable = spec.variable(constant.getKey()).filter(v -> !v.mapName().equals(KCONFIG))
                    .orElseThrow(() -> new BpfException(spec.name() + " has no global variable '"
                            + constant.getKey() + "' to set", "its variables are " + variableNames(), null));
            if (constant.getValue().length != variable.size()) {
                String type = variable.typeId() == 0 ? "" : spec.btf().map(b -> " (" + b.describe(variable.typeId())
                        + ")").orElse("");
                throw new BpfException("global variable '" + variable.name() + "' of " + spec.name() + type
                        + " has " + variable.size() + " bytes, but " + constant.getValue().length + " were given",
                        "give exactly " + variable.size() + " bytes in the host's byte order: "
                                + "LoadOptions.builder().constant(name, codec, value) encodes one (e.g. with "
                                + "Codecs.S32 for an int); a generated class's options() has a typed setter", null);
            }
        }
        checkNames("max_entries override", options.maxEntries().keySet(), mapNames());
        checkNames("value_size override", options.valueSizes().keySet(), mapNames());
        checkNames("map_flags override", options.mapFlags().keySet(), mapNames());
        checkNames("map_extra override", options.mapExtra().keySet(), mapNames());
        checkNames("program type", options.programTypes().keySet(), programNames());
        checkNames("map to reuse", options.reusedMaps().keySet(), mapNames());
        checkNames("attach target", options.attachTargets().keySet(), programNames());
        options.programs().ifPresent(names -> checkNames("program selection", names, programNames()));
    }

    private void checkNames(String what, Set<String> given, Set<String> known) {
        for (String name : given) {
            if (!known.contains(name)) {
                throw new BpfException(what + " names '" + name + "', which " + spec.name() + " does not have",
                        "known names: " + known, null);
            }
        }
    }

    private void writeContents(MapSpec map, MapFd fd) {
        boolean kconfig = map.kind() == MapSpec.MapKind.KCONFIG;
        if (!map.isGlobalData() && !kconfig) {
            return;
        }
        byte[] value = kconfig ? kconfigContents(map) : map.contents();
        if (!kconfig) {
            for (VariableSpec variable : spec.variables()) {
                byte[] given = variable.mapName().equals(map.name()) ? options.constants().get(variable.name()) : null;
                if (given != null) {
                    System.arraycopy(given, 0, value, variable.offset(), given.length);
                }
            }
        }
        if (value.length != fd.valueSize()) {
            value = Arrays.copyOf(value, fd.valueSize());
        }
        fd.update(new byte[4], value, 0);
        if (kconfig || map.isReadOnlyData()) {
            fd.freeze();
        }
    }

    private byte[] kconfigContents(MapSpec map) {
        Btf btf = spec.btf().orElseThrow();
        KconfigValues values = KconfigValues.running();
        ByteBuffer contents = ByteBuffer.allocate(map.valueSize()).order(spec.byteOrder());
        for (VariableSpec variable : spec.variables()) {
            if (variable.mapName().equals(map.name())) {
                contents.put(variable.offset(), values.encode(variable.name(), btf, variable.typeId(),
                        spec.byteOrder()));
            }
        }
        return contents.array();
    }

    /** Writes {@code values = { [i] = &target }} initializers of prog arrays and map-in-maps. */
    private void fillSlots(Map<String, MapFd> maps, Map<String, Fd> programs, Set<String> reused) {
        for (MapSpec map : spec.maps()) {
            if (map.initialSlots().isEmpty() || map.kind() == MapSpec.MapKind.STRUCT_OPS
                    || reused.contains(map.name())) {
                continue; // struct_ops slots are filled when the map is registered.
            }
            MapFd fd = maps.get(map.name());
            for (MapSpec.InitialSlot slot : map.initialSlots()) {
                Fd target = map.type() == MapType.PROG_ARRAY ? programs.get(slot.targetName())
                        : Optional.ofNullable(maps.get(slot.targetName())).map(MapFd::fd).orElse(null);
                if (target == null) {
                    if (map.type() == MapType.PROG_ARRAY && spec.program(slot.targetName()).isPresent()) {
                        continue; // Deselected by LoadOptions.programs: its slot stays empty.
                    }
                    throw new BpfException("map '" + map.name() + "' slot " + slot.index() + " holds '"
                            + slot.targetName() + "', which " + spec.name() + " does not define", null, null);
                }
                ByteBuffer key = ByteBuffer.allocate(fd.keySize()).order(ByteOrder.nativeOrder());
                key.putInt(0, slot.index());
                fd.updateDescriptor(key.array(), target);
            }
        }
    }

    private Set<String> variableNames() {
        Set<String> names = new TreeSet<>();
        spec.variables().stream().filter(v -> !v.mapName().equals(KCONFIG)).forEach(v -> names.add(v.name()));
        return names;
    }

    private Set<String> mapNames() {
        Set<String> names = new TreeSet<>();
        spec.maps().forEach(m -> names.add(m.name()));
        return names;
    }

    private Set<String> programNames() {
        Set<String> names = new TreeSet<>();
        spec.programs().forEach(p -> names.add(p.name()));
        return names;
    }
}
