package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import io.github.bpf2java.ebpf.BpfMap;
import io.github.bpf2java.ebpf.BpfProgram;
import io.github.bpf2java.ebpf.PerfEventReader;
import io.github.bpf2java.ebpf.RingBufferReader;
import io.github.bpf2java.ebpf.StorageOwner;
import io.github.bpf2java.ebpf.TypedBloomFilter;
import io.github.bpf2java.ebpf.TypedMap;
import io.github.bpf2java.ebpf.TypedQueue;
import io.github.bpf2java.ebpf.TypedStorage;
import io.github.bpf2java.ebpf.UserRingBuffer;
import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.codec.NetworkOrder;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import java.nio.channels.NetworkChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * The accessor of each map in the generated class: a {@link TypedMap} built from the map's BTF key and value types
 * for the map types whose entries are data (hashes, arrays, their per-CPU and LRU forms, tries, stack traces,
 * cgroup storage), a {@link TypedQueue}, {@link TypedBloomFilter} or {@link TypedStorage} for queues, stacks, bloom
 * filters and local storage, the raw {@link BpfMap} for the others (ring buffers, perf arrays, program arrays, maps of
 * maps, socket and device maps). A ring buffer or perf event array declared with a record type
 * ({@code __type(value, struct event)}, as cilium/ebpf's examples do) gets a reader accessor too, typed with that
 * record.
 */
final class MapAccessors {
    /**
     * What the accessor of a ring buffer or perf event array without a value type says of its records, before the
     * reader that decodes them.
     */
    private static final String UNTYPED_RECORDS = " The C code declares no type for its records (as {@code"
            + " __type(value, struct event)} would): a struct the programs only send is generated as a record when"
            + " named in the plugin's {@code <types>}, and its records are read with that record's codec: ";

    /** Map types whose keys and values are plain data, read and written through lookups. */
    private static final Set<MapType> DATA_MAPS = EnumSet.of(MapType.HASH, MapType.ARRAY, MapType.PERCPU_HASH,
            MapType.PERCPU_ARRAY, MapType.LRU_HASH, MapType.LRU_PERCPU_HASH, MapType.LPM_TRIE, MapType.STACK_TRACE,
            MapType.CGROUP_STORAGE, MapType.PERCPU_CGROUP_STORAGE);
    private static final ClassName TYPED_MAP = ClassName.get(TypedMap.class);

    private final Btf btf;
    private final RecordGenerator records;

    MapAccessors(Btf btf, RecordGenerator records) {
        this.btf = btf;
        this.records = records;
    }

    /** What the generated class has for one map. */
    record Accessor(MethodSpec method, Optional<FieldSpec> field, Optional<CodeBlock> initializer,
            Optional<MethodSpec> reader) {}

    /**
     * The accessor named {@code name} (and, for a typed map, its field and how the constructor fills it).
     *
     * @param readerName the name for a ring buffer's reader accessor, if one is generated
     */
    Accessor of(MapSpec map, String name, String readerName) {
        Optional<TypeMapping.JavaType> key = DATA_MAPS.contains(map.type()) ? side(map.keyTypeId(), map.keySize(),
                map.name() + "_key") : Optional.empty();
        Optional<TypeMapping.JavaType> value = key.isPresent() ? side(map.valueTypeId(), map.valueSize(),
                map.name() + "_value") : Optional.empty();
        String doc = doc(map);
        if (map.type().isKeyless() || map.type().isLocalStorage()) {
            Optional<TypeMapping.JavaType> element = side(map.valueTypeId(), map.valueSize(), map.name() + "_value");
            if (element.isPresent()) {
                return valuesOnly(map, name, doc, element.get());
            }
        }
        if (key.isEmpty() || value.isEmpty()) {
            CodeBlock returns = switch (map.type()) {
                case RINGBUF -> CodeBlock.of("the ring buffer, to open a {@link $T} on", RingBufferReader.class);
                case PERF_EVENT_ARRAY -> CodeBlock.of("the perf event array, to build a {@link $T} on",
                        PerfEventReader.class);
                case USER_RINGBUF -> CodeBlock.of("the user ring buffer, to open a {@link $T} on",
                        UserRingBuffer.class);
                case SOCKMAP, SOCKHASH, REUSEPORT_SOCKARRAY -> CodeBlock.of("the socket map, filled with"
                        + " {@link $T#putSocket(byte[], $T)}", BpfMap.class, NetworkChannel.class);
                case PROG_ARRAY -> CodeBlock.of("the program array, whose slots {@link $T#putProgram(int, $T)}"
                        + " fills", BpfMap.class, BpfProgram.class);
                case ARRAY_OF_MAPS, HASH_OF_MAPS -> CodeBlock.of("the map of maps, whose inner maps"
                        + " {@link $T#putMap(byte[], $T)} replaces", BpfMap.class, BpfMap.class);
                case CGROUP_ARRAY -> CodeBlock.of("the cgroup array, whose slots {@link $T#putCgroup(int, $T)}"
                        + " fills with cgroup v2 directories", BpfMap.class, Path.class);
                default -> CodeBlock.of("the loaded map, read and written as bytes");
            };
            MethodSpec method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC)
                    .returns(BpfMap.class).addJavadoc("$L\n\n@return $L\n", doc, returns)
                    .addStatement("return object.map($S)", map.name()).build();
            return new Accessor(method, Optional.empty(), Optional.empty(), reader(map, name, readerName));
        }
        boolean perCpu = map.type().isPerCpu();
        TypeName valueType = perCpu ? ParameterizedTypeName.get(ClassName.get(List.class), value.get().boxed())
                : value.get().boxed();
        TypeName type = ParameterizedTypeName.get(TYPED_MAP, key.get().boxed(), valueType);
        FieldSpec field = FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Map {@code $L} with its key and value codecs, made once at load.\n", map.name())
                .build();
        // A stack trace map's frame count is chosen at load time as often as in C (LoadOptions' valueSize, as
        // profilers do with bpf_map__set_value_size): its frames follow the loaded map's value size.
        boolean frames = map.type() == MapType.STACK_TRACE
                && value.get().type().equals(ArrayTypeName.of(TypeName.LONG));
        CodeBlock valueCodec = frames
                ? CodeBlock.of("$T.longs(object.map($S).valueSize() / $T.BYTES)", Codecs.class, map.name(), Long.class)
                : value.get().codec();
        CodeBlock init = CodeBlock.of("this.$N = $T.$L(object.map($S),$W$L,$W$L)", name, TYPED_MAP,
                perCpu ? "perCpu" : "of", map.name(), key.get().codec(), valueCodec);
        // A legacy SEC("maps") definition gives sizes only: its sides are bytes, and the user knows their types.
        boolean untyped = map.keyTypeId() == 0 || map.valueTypeId() == 0;
        CodeBlock returns = untyped ? CodeBlock.of("the map, with its sides as bytes: its definition names no BTF"
                + " types (a legacy {@code SEC(\"maps\")} one gives only sizes), so type it with {@link $T#of($T,"
                + " $T, $T) TypedMap.of}{@code (raw(), Codecs.U32, Codecs.U64)} or the codecs that fit", TYPED_MAP,
                BpfMap.class, Codec.class, Codec.class)
                : CodeBlock.of("the map, typed with its BTF key and value");
        MethodSpec method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC)
                .returns(type)
                .addJavadoc("$L\n\n<p>Typed: keys and values are read and written as {@code $L} and {@code $L}$L;"
                        + " {@link $T#raw()} has the map's bytes.$L\n\n@return $L\n", doc, simple(key.get().boxed()),
                        simple(value.get().boxed()), perCpu ? ", one value per possible CPU"
                                : frames ? ", as many frames as the loaded map's value size holds" : "", TYPED_MAP,
                        CodeBlock.builder().add(networkOrderNote(map)).add(unsignedNote(map, key.get(), value.get()))
                                .build(), returns)
                .addStatement("return $N", name).build();
        return new Accessor(method, Optional.of(field), Optional.of(init), Optional.empty());
    }

    /**
     * For an unsigned key or value of 8 or 16 bits ({@code __u8}, {@code __u16}):
     * Java's type of the same width holds its bits, so numbers from the upper half (ports above 32767) read as
     * negative, and the JDK's {@code toUnsigned...} methods give them.
     */
    private CodeBlock unsignedNote(MapSpec map, TypeMapping.JavaType key, TypeMapping.JavaType value) {
        List<String> notes = new ArrayList<>();
        List<TypeMapping.JavaType> sides = List.of(key, value);
        for (int i = 0; i < sides.size(); i++) {
            TypeMapping.JavaType side = sides.get(i);
            // Only the narrow ones, whose upper half is everyday (ports, small counts); not network-order ones,
            // whose note says already what the integer holds.
            int networkOrder = records.mapping().networkOrderWidth(i == 0 ? map.keyTypeId() : map.valueTypeId());
            if (!side.unsigned() || side.pointer() || !side.type().isPrimitive() || side.size() > Short.BYTES
                    || networkOrder > 0) {
                continue;
            }
            String box = side.boxed().toString();
            String simple = box.substring(box.lastIndexOf('.') + 1);
            String example = side.size() == 1 ? "(byte) 200" : "(short) 50000";
            notes.add((i == 0 ? "the key" : "the value") + " is unsigned in C: {@code " + simple
                    + ".toUnsignedInt(...)} gives its number, and a cast ({@code "
                    + example + "}) writes one above {@code " + simple + ".MAX_VALUE}");
        }
        if (notes.isEmpty()) {
            return CodeBlock.of("");
        }
        String text = String.join("; ", notes);
        return CodeBlock.of(" $L.", Character.toUpperCase(text.charAt(0)) + text.substring(1));
    }

    /**
     * For a key or value C keeps in network byte order ({@code __be32} addresses, {@code __be16} ports): that the
     * Java integer holds its bytes, not its number, and what converts it.
     */
    private CodeBlock networkOrderNote(MapSpec map) {
        TypeMapping mapping = records.mapping();
        boolean key = mapping.networkOrderWidth(map.keyTypeId()) > 0;
        boolean value = mapping.networkOrderWidth(map.valueTypeId()) > 0;
        if (!key && !value) {
            return CodeBlock.of("");
        }
        return CodeBlock.of(" The $L in network byte order: the integer holds its bytes as C does, so"
                + " {@link $T} gives the number (and the IPv4 address a {@code __be32} holds).",
                key && value ? "key and the value are" : key ? "key is" : "value is", NetworkOrder.class);
    }

    /**
     * The accessor of a map whose values Java reaches without a key of its own: a {@link TypedQueue} (queue, stack),
     * {@link TypedBloomFilter} or {@link TypedStorage} (local storage, through the entry's owner) of the values' type.
     */
    private Accessor valuesOnly(MapSpec map, String name, String doc, TypeMapping.JavaType element) {
        MapType kind = map.type();
        Class<?> viewClass = kind == MapType.BLOOM_FILTER ? TypedBloomFilter.class
                : kind.isLocalStorage() ? TypedStorage.class : TypedQueue.class;
        ClassName view = ClassName.get(viewClass);
        TypeName type = ParameterizedTypeName.get(view, element.boxed());
        FieldSpec field = FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Map {@code $L} with its value codec, made once at load.\n", map.name())
                .build();
        CodeBlock init = CodeBlock.of("this.$N = $T.of(object.map($S),$W$L)", name, view, map.name(),
                element.codec());
        CodeBlock how;
        String what;
        if (kind == MapType.BLOOM_FILTER) {
            how = CodeBlock.of("{@link $T#add} adds a value, {@link $T#mightContain} tests one", view, view);
            what = "bloom filter";
        } else if (kind.isLocalStorage()) {
            how = CodeBlock.of("{@link $T#get} reads the entry of the {@link $T} given", view, StorageOwner.class);
            what = "local storage";
        } else {
            how = CodeBlock.of("{@link $T#push} adds an element, {@link $T#pop} takes the $L", view, view,
                    kind == MapType.QUEUE ? "oldest" : "newest");
            what = kind == MapType.QUEUE ? "queue" : "stack";
        }
        MethodSpec method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC).returns(type)
                .addJavadoc("$L\n\n<p>Typed: values are {@code $L}; $L; {@link $T#raw()} has the map's bytes.\n"
                        + "\n@return the $L, typed with its BTF value\n", doc, simple(element.boxed()), how, view,
                        what)
                .addStatement("return $N", name).build();
        return new Accessor(method, Optional.of(field), Optional.of(init), Optional.empty());
    }

    /** The Java form of a key or value: from its BTF type when it has one of the right size, else raw bytes. */
    private Optional<TypeMapping.JavaType> side(int typeId, int size, String hint) {
        if (size <= 0) {
            return Optional.empty();
        }
        if (typeId != 0 && btf.sizeOf(typeId) == size) {
            Optional<TypeMapping.JavaType> mapped = records.mapping().of(typeId, hint);
            if (mapped.isPresent() && mapped.get().size() == size) {
                return mapped;
            }
        }
        return Optional.of(TypeMapping.bytes(size));
    }

    /**
     * The typed accessor that opens a ring buffer or perf event array reader, or a user ring buffer's producer, of a
     * map whose records have a type ({@code __type(value, struct event)}): a reader decodes each record with the
     * record's codec; the producer's Javadoc says which codec to write with.
     */
    private Optional<MethodSpec> reader(MapSpec map, String accessorName, String readerName) {
        boolean ring = map.type() == MapType.RINGBUF;
        boolean user = map.type() == MapType.USER_RINGBUF;
        if (!ring && !user && map.type() != MapType.PERF_EVENT_ARRAY || map.valueTypeId() == 0) {
            return Optional.empty();
        }
        Optional<ClassName> record = records.request(map.valueTypeId(), map.name() + "_record");
        if (record.isEmpty()) {
            return Optional.empty();
        }
        if (user) {
            return Optional.of(MethodSpec.methodBuilder(readerName).addModifiers(Modifier.PUBLIC)
                    .returns(UserRingBuffer.class)
                    .addJavadoc("Opens the producer side of user ring buffer {@code $L}, whose samples are {@link $T}"
                            + " records: {@code write($T.CODEC, record)} sends one. Close it when done; one"
                            + " producer per map in this process.\n"
                            + "\n@return the producer, for the programs' {@code bpf_user_ringbuf_drain}\n",
                            map.name(), record.get(), record.get())
                    .addStatement("return $T.open(object.map($S))", UserRingBuffer.class, map.name()).build());
        }
        TypeName consumer = ParameterizedTypeName.get(ClassName.get(Consumer.class),
                WildcardTypeName.supertypeOf(record.get()));
        MethodSpec.Builder method = MethodSpec.methodBuilder(readerName)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(consumer, "consumer");
        if (ring) {
            return Optional.of(method.returns(RingBufferReader.class)
                    .addJavadoc("Opens a reader of ring buffer {@code $L} that decodes each record as {@link $T}"
                            + " and hands it to {@code consumer} on the polling thread; close it when done.\n"
                            + "\n@param consumer receives each record, in the order the kernel committed them\n"
                            + "@return the reader: call {@code poll} or {@code consume} to read\n",
                            map.name(), record.get())
                    .addStatement("return $T.open(object.map($S), $T.CODEC, consumer)", RingBufferReader.class,
                            map.name(), record.get()).build());
        }
        return Optional.of(method.returns(PerfEventReader.class)
                .addJavadoc("Opens a reader of perf event array {@code $L} (a ring per CPU, the runtime's default"
                        + " sizes) that decodes each sample as {@link $T} and hands it to {@code consumer} on"
                        + " the polling thread; close it when done. For other sizes or lost-sample handling, use"
                        + " {@link $T#builder} with {@link #$L()}.\n"
                        + "\n@param consumer receives each sample\n"
                        + "@return the reader: call {@code poll} or {@code consume} to read\n",
                        map.name(), record.get(), PerfEventReader.class, accessorName)
                .addStatement("return $T.builder(object.map($S)).onSample($T.CODEC, consumer).build()",
                        PerfEventReader.class, map.name(), record.get()).build());
    }

    /** What a map is, for its accessor's Javadoc: sizes in the units the map type counts in. */
    String doc(MapSpec map) {
        String kind = kindName(map.type());
        StringBuilder doc = new StringBuilder();
        switch (map.type()) {
            case RINGBUF, USER_RINGBUF -> {
                doc.append(map.type() == MapType.RINGBUF ? "Ring buffer" : "User ring buffer").append(" {@code ")
                        .append(map.name()).append("} of ").append(Sizes.bytes(map.maxEntries()));
                if (map.valueTypeId() != 0) {
                    Optional<ClassName> record = records.request(map.valueTypeId(), map.name() + "_record");
                    doc.append(", carrying ").append(record.map(r -> "{@link " + r.simpleName() + "} records ("
                            + describe(map.valueTypeId()) + ")").orElse("records of " + describe(map.valueTypeId())));
                } else if (map.type() == MapType.RINGBUF) {
                    doc.append('.').append(UNTYPED_RECORDS).append("{@code RingBufferReader.open(map, Event.CODEC,"
                            + " consumer)} for a record {@code Event} of a {@code struct event}");
                }
                return doc.append('.').toString();
            }
            case PERF_EVENT_ARRAY -> {
                doc.append("Perf event array {@code ").append(map.name()).append("}: one ring per CPU");
                doc.append(map.maxEntries() == 0 ? ", as many as the possible CPUs"
                        : ", for CPUs 0 to " + (map.maxEntries() - 1));
                if (map.valueTypeId() != 0) {
                    doc.append(", carrying records of ").append(describe(map.valueTypeId()));
                } else {
                    doc.append('.').append(UNTYPED_RECORDS).append("{@code PerfEventReader.open(map, Event.CODEC,"
                            + " consumer)} for a record {@code Event} of a {@code struct event}");
                }
                return doc.append('.').toString();
            }
            default -> {
                doc.append("Map {@code ").append(map.name()).append("}: ").append(kind);
                if (map.keySize() > 0) {
                    doc.append(", key ").append(describe(map.keyTypeId(), map.keySize()));
                }
                if (map.valueSize() > 0) {
                    doc.append(", value ").append(describe(map.valueTypeId(), map.valueSize()));
                    if (map.type().isPerCpu()) {
                        doc.append(" per CPU");
                    }
                }
                boolean array = map.type() == MapType.ARRAY || map.type() == MapType.PERCPU_ARRAY
                        || map.type() == MapType.PROG_ARRAY || map.type() == MapType.ARRAY_OF_MAPS
                        || map.type() == MapType.CGROUP_ARRAY;
                if (map.maxEntries() == 1) {
                    doc.append(array ? ", 1 entry (index 0)" : ", at most 1 entry");
                } else if (map.maxEntries() > 1) {
                    doc.append(array ? ", " + map.maxEntries() + " entries (indexes 0 to " + (map.maxEntries() - 1)
                            + ")" : ", at most " + map.maxEntries() + " entries");
                }
                // What putMap takes: a map matching the inner template.
                map.innerMap().ifPresent(inner -> doc.append("; inner maps: ")
                        .append(kindName(inner.type()))
                        .append(", key ").append(Sizes.bytes(inner.keySize()))
                        .append(", value ").append(Sizes.bytes(inner.valueSize()))
                        .append(", ").append(inner.maxEntries())
                        .append(inner.maxEntries() == 1 ? " entry" : " entries"));
                // The C initializer (.values = { [0] = &rules_v1 }) fills these when the object loads.
                if (!map.initialSlots().isEmpty()) {
                    doc.append("; filled at load from C: ").append(map.initialSlots().stream()
                            .map(slot -> "{@code [" + slot.index() + "] = " + slot.targetName() + "}")
                            .collect(Collectors.joining(", ")));
                }
                if (map.type() == MapType.ARRAY && (map.flags() & MapSpec.BPF_F_MMAPABLE) != 0) {
                    // The kernel lays the values out 8-byte aligned in the mapping.
                    doc.append(". Created {@code BPF_F_MMAPABLE}: the map's {@code memory()} (on the typed view,"
                            + " {@code raw().memory()}) is its values as memory shared with the programs, value"
                            + " {@code i} at byte {@code i * ").append((map.valueSize() + 7) & ~7)
                            .append("}, read and written without a system call");
                }
                if (map.pinning() == 1) {
                    // LIBBPF_PIN_BY_NAME: the map may hold what an earlier process counted.
                    doc.append(". Pinned by name ({@code LIBBPF_PIN_BY_NAME}): created pinned as {@code ")
                            .append(map.name()).append("} in the pin root (default {@code /sys/fs/bpf}), or the map "
                                    + "pinned there reused with its contents");
                }
                return doc.append('.').toString();
            }
        }
    }

    /** A map type as prose: {@code ARRAY_OF_MAPS} is "array of maps". */
    private static String kindName(MapType type) {
        return type.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private String describe(int typeId, int size) {
        return (typeId == 0 ? "" : RecordGenerator.code(btf.describe(typeId)) + " ") + "(" + Sizes.bytes(size) + ")";
    }

    private String describe(int typeId) {
        return RecordGenerator.code(btf.describe(typeId)) + ", " + Sizes.bytes(btf.sizeOf(typeId));
    }

    /** A type as a reader writes it: simple names, type arguments kept. */
    static String simple(TypeName type) {
        if (type instanceof ClassName c) {
            return c.simpleName();
        }
        if (type instanceof ParameterizedTypeName p) {
            StringBuilder text = new StringBuilder(simple(p.rawType())).append('<');
            for (int i = 0; i < p.typeArguments().size(); i++) {
                text.append(i == 0 ? "" : ", ").append(simple(p.typeArguments().get(i)));
            }
            return text.append('>').toString();
        }
        if (type instanceof ArrayTypeName a) {
            return simple(a.componentType()) + "[]";
        }
        return type.toString();
    }
}
