package io.github.bpf2java.maven.codegen;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.generate.GenerateOrchestrator;
import io.github.bpf2java.maven.naming.JavaNames;
import io.github.bpf2java.maven.pch.PrecompiledHeaderMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated classes' Javadoc: clean under every doclint check, and true about sizes, codecs and how each
 * program attaches.
 */
class GeneratedJavadocTest {
    @TempDir
    Path dir;

    @Test
    void theGoldenClassPassesEveryDoclintCheck() throws Exception {
        // The committed golden class is what GoldenClassTest generates from golden.c: records, unions, enums, every
        // kind of global, typed and raw maps, a ring buffer reader.
        StrictCompiler.compile(Files.createDirectories(dir.resolve("classes")), List.of(GoldenClassTest.GOLDEN));
    }

    @Test
    void anXdpOnlyObjectShowsHowItsProgramAttaches() throws Exception {
        String java = generate("xdp_only", """
                SEC("xdp")
                int drop_all(struct xdp_md *ctx)
                {
                    return XDP_DROP;
                }
                """);
        assertFalse(java.contains("bpf.attach();"), "attach() attaches no XDP program:\n" + java);
        assertTrue(java.contains("bpf.dropAll().attachXdp(\"eth0\");"), java);
        assertTrue(java.contains("{@link #attach()} leaves it out: attach it with"
                + " {@link BpfProgram#attachXdp(String)}."), java);
    }

    @Test
    void aPerfEventProgramPointsAtTheAttachOnEveryCpu() throws Exception {
        String java = generate("sampler", """
                SEC("perf_event")
                int on_sample(void *ctx)
                {
                    return 0;
                }
                """);
        assertTrue(java.contains("bpf.onSample().attachPerfEventOnEveryCpu(PerfEventSpec.software("
                + "SoftwareEvent.CPU_CLOCK).sampleFrequency(99));"), java);
        assertTrue(java.contains("attach it with {@link BpfProgram#attachPerfEventOnEveryCpu(PerfEventSpec)}."),
                java);
    }

    @Test
    void aTypedUserRingBufferGetsItsProducerAccessor() throws Exception {
        String java = generate("commands", """
                struct command {
                    __u32 op;
                    __u32 pid;
                };

                struct {
                    __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
                    __uint(max_entries, 4096);
                    __type(value, struct command);
                } commands SEC(".maps");

                SEC("xdp")
                int pass(struct xdp_md *ctx)
                {
                    return XDP_PASS;
                }
                """);
        assertTrue(java.contains("public UserRingBuffer openCommands() {"), java);
        assertTrue(java.contains("return UserRingBuffer.open(object.map(\"commands\"));"), java);
        assertTrue(java.contains("whose samples are {@link Command} records: {@code write(Command.CODEC, record)}"
                + " sends one."), java);
        assertTrue(java.contains("@return the user ring buffer, to open a {@link UserRingBuffer} on"), java);
    }

    @Test
    void iteratorsSayHowTheyAreReadAndMapIteratorsWhatTheyNeed() throws Exception {
        String java = generate("iterators", """
                SEC("iter/task")
                int tasks(void *ctx)
                {
                    return 0;
                }

                SEC("iter/bpf_map_elem")
                int elements(void *ctx)
                {
                    return 0;
                }
                """);
        assertTrue(java.contains("{@link #attach()} attaches it where its section says, {@code task} (every one;"
                + " {@link BpfProgram#attachIterator(IteratorOptions)} limits it); read a pass with {@link"
                + " BpfLink#openIterator()} on its link."), java);
        assertTrue(java.contains("It walks the elements of a map it is given, so {@link #attach()} leaves it out:"
                + " attach it with {@link BpfProgram#attachIterator(BpfMap)}, then read a pass with {@link"
                + " BpfLink#openIterator()}."), java);
    }

    @Test
    void aMapOfMapsListsTheSlotsItsCInitializerFills() throws Exception {
        String java = generate("tenants", """
                struct inner {
                    __uint(type, BPF_MAP_TYPE_ARRAY);
                    __uint(max_entries, 4);
                    __type(key, __u32);
                    __type(value, __u64);
                } inner_a SEC(".maps"), inner_b SEC(".maps");

                struct {
                    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
                    __uint(max_entries, 8);
                    __type(key, __u32);
                    __array(values, struct inner);
                } tenants SEC(".maps") = {
                    .values = { [0] = &inner_a, [3] = &inner_b },
                };

                SEC("socket")
                int count(void *ctx)
                {
                    __u32 key = 0;
                    return bpf_map_lookup_elem(&tenants, &key) != 0;
                }
                """);
        assertTrue(java.contains("; filled at load from C: {@code [0] = inner_a}, {@code [3] = inner_b}."), java);
    }

    @Test
    void aMemoryMappableArraySaysWhereItsMemoryIsAndHowItIsLaidOut() throws Exception {
        String java = generate("shared_counts", """
                struct {
                    __uint(type, BPF_MAP_TYPE_ARRAY);
                    __uint(map_flags, BPF_F_MMAPABLE);
                    __uint(max_entries, 512);
                    __type(key, __u32);
                    __type(value, __u32);
                } by_nr SEC(".maps");

                struct {
                    __uint(type, BPF_MAP_TYPE_ARRAY);
                    __uint(max_entries, 4);
                    __type(key, __u32);
                    __type(value, __u64);
                } plain SEC(".maps");

                SEC("socket")
                int count(void *ctx)
                {
                    __u32 key = 0;
                    return bpf_map_lookup_elem(&by_nr, &key) != 0 && bpf_map_lookup_elem(&plain, &key) != 0;
                }
                """);
        // 4-byte values lie 8 bytes apart in the mapping.
        assertTrue(java.contains("512 entries (indexes 0 to 511). Created {@code BPF_F_MMAPABLE}: the map's"
                + " {@code memory()} (on the typed view, {@code raw().memory()}) is its values as memory shared with"
                + " the programs, value {@code i} at byte {@code i * 8}, read and written without a system call."),
                java);
        assertEquals(1, java.split("BPF_F_MMAPABLE", -1).length - 1, "said of by_nr only");
    }

    @Test
    void narrowUnsignedKeysAndValuesSayHowToReadTheirUpperHalf() throws Exception {
        String java = generate("ports", """
                struct {
                    __uint(type, BPF_MAP_TYPE_HASH);
                    __uint(max_entries, 64);
                    __type(key, __u16);
                    __type(value, __u8);
                } blocked SEC(".maps");

                struct {
                    __uint(type, BPF_MAP_TYPE_HASH);
                    __uint(max_entries, 64);
                    __type(key, __u32);
                    __type(value, __u64);
                } counts SEC(".maps");

                SEC("socket")
                int filter(void *ctx)
                {
                    __u16 port = 443;
                    __u32 key = 0;
                    return bpf_map_lookup_elem(&blocked, &port) != 0 && bpf_map_lookup_elem(&counts, &key) != 0;
                }
                """);
        assertTrue(java.contains("The key is unsigned in C: {@code Short.toUnsignedInt(...)} gives its number, and a"
                + " cast ({@code (short) 50000}) writes one above {@code Short.MAX_VALUE}; the value is unsigned in"
                + " C: {@code Byte.toUnsignedInt(...)} gives its number, and a cast ({@code (byte) 200}) writes one"
                + " above {@code Byte.MAX_VALUE}."), java);
        assertEquals(2, java.split("is unsigned in C", -1).length - 1, "the two of blocked; none of 32- and 64-bit ones");
    }

    @Test
    void aTcProgramNamesTcxAndLegacyTc() throws Exception {
        String java = generate("classifier", """
                SEC("tc")
                int classify(struct __sk_buff *skb)
                {
                    return 0;
                }
                """);
        assertTrue(java.contains("attach it with {@link BpfProgram#attachTcx(String, TcxOptions)} on Linux 6.6 and"
                + " later, or with {@link BpfProgram#attachTc(String, TcOptions)} (legacy tc) on any kernel."), java);
    }

    @Test
    void arraysOfUnsignedIntegersSayHowToReadAnElement() throws Exception {
        String java = generate("histogram", """
                __u32 slots[8];
                __s32 deltas[4];
                struct hist { __u64 buckets[2][3]; char comm[16]; } last;

                SEC("socket")
                int filter(void *ctx)
                {
                    slots[1]++;
                    deltas[0]--;
                    last.buckets[0][0]++;
                    return 0;
                }
                """);
        assertTrue(java.contains("Its elements are unsigned: each keeps its bits in the Java type of the same width,"
                + " and {@link Integer#toUnsignedLong(int)} reads one as the number C means."), java);
        assertEquals(2, java.split("Its elements are unsigned", -1).length - 1, "said by the getter and setter of slots,"
                + " not of deltas");
        assertTrue(java.contains("{@code __u64[2][3] buckets} at offset 0, its elements unsigned: see {@link"
                + " Long#toUnsignedString(long)}"), java);
        assertTrue(!java.contains("comm} at offset 48, its elements"), "a string is no array of numbers");
    }

    @Test
    void aKernelObjectPointerSaysUserSpaceSeesNoAddress() throws Exception {
        String java = generate("kept", """
                struct task_struct;
                struct slot {
                    __u64 stamp;
                    struct task_struct __attribute__((btf_type_tag("kptr"))) *task;
                    void *plain;
                };
                struct {
                    __uint(type, BPF_MAP_TYPE_ARRAY);
                    __uint(max_entries, 1);
                    __type(key, __u32);
                    __type(value, struct slot);
                } slots SEC(".maps");

                SEC("socket")
                int keep(void *ctx)
                {
                    __u32 key = 0;
                    struct slot *s = bpf_map_lookup_elem(&slots, &key);
                    if (s)
                        s->stamp++;
                    return 0;
                }
                """);
        assertTrue(java.contains("{@code struct task_struct * task} at offset 8, a kernel object the program keeps "
                + "(__kptr): user space reads 0 here, and writing the value through the map releases the object"),
                java);
        assertTrue(java.contains("{@code void * plain} at offset 16, a pointer: the address as the program stored it"),
                java);
    }

    @Test
    void userSpaceProbesExplainTheirKernelTypeAndHowTheyAttach() throws Exception {
        String java = generate("probes", """
                SEC("uretprobe")
                int call_exit(void *ctx)
                {
                    return 0;
                }

                SEC("uprobe//bin/bash:readline")
                int on_readline(void *ctx)
                {
                    return 0;
                }

                SEC("kprobe/do_sys_openat2")
                int on_open(void *ctx)
                {
                    return 0;
                }

                SEC("usdt")
                int on_step(void *ctx)
                {
                    return 0;
                }
                """);
        assertTrue(java.contains("section {@code uretprobe}, type KPROBE (the kernel's program type for uprobes"
                + " too). <p>Its section names no target, so {@link #attach()} leaves it out: attach it with {@link"
                + " BpfProgram#attachUretprobe(String, String)}."), java);
        assertTrue(java.contains("section {@code uprobe//bin/bash:readline}, type KPROBE (the kernel's program type"
                + " for uprobes too)."), java);
        assertTrue(java.contains("{@link #attach()} attaches it where its section says, {@code /bin/bash:readline}."),
                java);
        assertTrue(java.contains("section {@code kprobe/do_sys_openat2}, type KPROBE. <p>"), java);
        assertTrue(java.contains("{@link #attach()} attaches it where its section says, {@code do_sys_openat2}."),
                java);
        assertTrue(java.contains("section {@code usdt}, type KPROBE (the kernel's program type for uprobes, which"
                + " USDT probes are). <p>Its section names no target, so {@link #attach()} leaves it out: attach it"
                + " with {@link BpfProgram#attachUsdt(String, String, String)}."), java);
        assertTrue(java.contains("bpf.onStep().attachUsdt(\"/path/to/binary\", \"provider\", \"probe\");"), java);
        assertTrue(java.contains("bpf.attach();"), "the kprobe and the uprobe attach by their sections:\n" + java);
        assertTrue(java.contains("Attaches {@link #onOpen()} and {@link #onReadline()} where their sections say;"
                + " the links close with this object. Leaves out {@link #callExit()} ({@link"
                + " BpfProgram#attachUretprobe(String, String)}) and {@link #onStep()} ({@link"
                + " BpfProgram#attachUsdt(String, String, String)}), whose sections do not say where to attach: the"
                + " report lists them with the method that attaches each."), java);
    }

    @Test
    void aSectionNamingATargetAttachCannotReadSaysThatAttachThrows() throws Exception {
        // libbpf-tools' bashreadline: the C loader finds the binary and attaches by hand; attach() cannot.
        String java = generate("bashreadline", """
                SEC("uretprobe/readline")
                int printret(void *ctx)
                {
                    return 0;
                }

                SEC("kprobe")
                int on_any(void *ctx)
                {
                    return 0;
                }

                SEC("tracepoint/syscalls/sys_enter_execve")
                int on_exec(void *ctx)
                {
                    return 0;
                }
                """);
        assertTrue(java.contains("section {@code uretprobe/readline}, type KPROBE (the kernel's program type for"
                + " uprobes too). <p>Its section {@code uretprobe/readline} does not name its target as {@code"
                + " <binary>:<function>[+<offset>]}, so {@link #attach()} throws and attaches no program of this"
                + " object:"
                + " attach this one with {@link BpfProgram#attachUretprobe(String, String)}, and the others through"
                + " their accessors."), java);
        assertTrue(java.contains("Throws without attaching anything while a program whose section names a target it"
                + " cannot read is loaded: {@link #printret()}, whose section {@code uretprobe/readline} does not"
                + " name its target as {@code <binary>:<function>[+<offset>]}."), java);
        assertFalse(java.contains("bpf.attach()"), "attach() throws for this object:\n" + java);
        assertTrue(java.contains("bpf.printret().attachUretprobe(\"libc.so.6\", \"malloc\");"), java);
        assertTrue(java.contains("bpf.onAny().attachKprobe(\"do_unlinkat\");"), java);
        // The tracepoint's section is fine: its accessor still says attach() would attach it.
        assertTrue(java.contains("{@link #attach()} attaches it where its section says, {@code"
                + " syscalls/sys_enter_execve}."), java);
    }

    @Test
    void theMapsOfTheUsdtHeaderStayOutOfTheGeneratedApi() throws Exception {
        String java = generate("jvm_probes", """
                #include <stdbool.h>
                #include <linux/ptrace.h>
                #include <bpf/usdt.bpf.h>

                SEC("usdt")
                int BPF_USDT(on_gc, int full)
                {
                    return full;
                }
                """);
        assertFalse(java.contains("bpfUsdt") || java.contains("BpfUsdt") || java.contains("__bpf_usdt"),
                "usdt.bpf.h's maps are the runtime's to fill:\n" + java);
        assertTrue(java.contains("attach it with {@link BpfProgram#attachUsdt(String, String, String)}"), java);
    }

    @Test
    void localStorageIsTypedWithItsValueRecordAndReachedThroughItsOwner() throws Exception {
        String java = generate("task_notes", """
                struct task_note {
                    __u64 calls;
                    __u32 last_nr;
                };

                struct {
                    __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
                    __uint(map_flags, BPF_F_NO_PREALLOC);
                    __type(key, int);
                    __type(value, struct task_note);
                } notes SEC(".maps");

                SEC("tp/syscalls/sys_enter_execve")
                int count(void *ctx)
                {
                    struct task_note *note = bpf_task_storage_get(&notes, bpf_get_current_task_btf(), 0,
                                                                  BPF_LOCAL_STORAGE_GET_F_CREATE);
                    if (note)
                        note->calls++;
                    return 0;
                }
                """);
        assertTrue(java.contains("public TypedStorage<TaskNote> notes()"), java);
        assertTrue(java.contains("public record TaskNote(long calls, int lastNr)"), java);
        assertTrue(java.contains("{@link TypedStorage#get} reads the entry of the {@link StorageOwner} given"), java);
    }

    @Test
    void oneByteIsOneByte() throws Exception {
        String java = generate("small", """
                enum __attribute__((packed)) level { LOW, HIGH };
                struct flag { __u8 on; };

                struct {
                    __uint(type, BPF_MAP_TYPE_HASH);
                    __uint(max_entries, 1);
                    __type(key, __u8);
                    __type(value, struct flag);
                } flags SEC(".maps");

                enum level current;
                char initial[1];

                SEC("xdp")
                int pass(struct xdp_md *ctx)
                {
                    return XDP_PASS;
                }
                """);
        assertTrue(java.contains("key {@code __u8} (1 byte), value {@code struct flag} (1 byte), at most 1 entry."),
                java);
        assertTrue(java.contains("C {@code enum level} (1 byte, unsigned)"), java);
        assertTrue(java.contains("C {@code struct flag}, 1 byte,"), java);
        assertTrue(java.contains("at most 1 byte"), java);
        assertFalse(java.matches("(?s).*\\b1 bytes.*"), java);
    }

    @Test
    void aLegacyMapSaysItsSidesAreBytesAndHowToTypeThem() throws Exception {
        // xdp-tutorial's older lessons and cilium/ebpf's examples: a definition of sizes, no BTF types.
        String java = generate("legacy_stats", """
                #include <bpf2java/legacy_maps.h>

                struct bpf_map_def SEC("maps") xdp_stats_map = {
                    .type = BPF_MAP_TYPE_ARRAY,
                    .key_size = sizeof(__u32),
                    .value_size = sizeof(__u64),
                    .max_entries = 5,
                };

                SEC("xdp")
                int count(struct xdp_md *ctx)
                {
                    __u32 key = 0;
                    __u64 *value = bpf_map_lookup_elem(&xdp_stats_map, &key);
                    if (value)
                        __sync_fetch_and_add(value, 1);
                    return XDP_PASS;
                }
                """);
        assertTrue(java.contains("@return the map, with its sides as bytes: its definition names no BTF types (a"
                + " legacy {@code SEC(\"maps\")} one gives only sizes), so type it with {@link TypedMap#of(BpfMap,"
                + " Codec, Codec) TypedMap.of}{@code (raw(), Codecs.U32, Codecs.U64)}"), java);
        assertFalse(java.contains("typed with its BTF key and value"), java);
    }

    @Test
    void aPointerDeclaredOnlyToPutATypeIntoBtfGetsNoAccessors() throws Exception {
        // cilium/ebpf's examples, before bpf2go's -type: the pointer only makes clang emit struct event.
        String java = generate("unused_anchor", """
                struct event {
                    __u32 pid;
                    __u8 comm[16];
                };

                struct {
                    __uint(type, BPF_MAP_TYPE_RINGBUF);
                    __uint(max_entries, 1 << 12);
                } events SEC(".maps");

                const struct event *unused __attribute__((unused));
                void *seen;

                SEC("tracepoint/syscalls/sys_enter_execve")
                int on_exec(void *ctx)
                {
                    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
                    if (!e)
                        return 0;
                    e->pid = bpf_get_current_pid_tgid() >> 32;
                    seen = ctx;
                    bpf_ringbuf_submit(e, 0);
                    return 0;
                }
                """);
        assertTrue(java.contains("<p>Without accessors: {@code unused}, a pointer no program uses (declared to put a"
                + " type into the BTF)."), java);
        assertFalse(java.contains("unused()") || java.contains("setUnused") || java.contains("Options unused("),
                java);
        assertTrue(java.contains("public long seen()"), "a pointer a program writes keeps its getter:\n" + java);
    }

    /**
     * Generates the class of {@code <name>.c}, which has {@code code} after the usual includes and a license, checks
     * it with {@link StrictCompiler} and returns it.
     */
    private String generate(String name, String code) throws Exception {
        String className = JavaNames.objectClassName(name);
        TestProject project = new TestProject(dir.resolve(name));
        project.write(name + ".c", "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n\n"
                + code + "\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n");
        new GenerateOrchestrator().execute(project.request(List.of(Target.BPFEL, Target.BPFEB),
                new PrecompiledHeaderMode.Auto(), Optional.empty(), List.of()), BuildLog.silent());
        Path source = project.generatedSources().resolve("com/example/ebpf/" + className + ".java");
        StrictCompiler.compile(Files.createDirectories(dir.resolve(className + "-classes")), List.of(source));
        return prose(Files.readString(source));
    }

    /** {@code java} with its Javadoc lines joined, so that assertions do not depend on where comments wrap. */
    private static String prose(String java) {
        return java.replaceAll("(\n\\s*\\*(?!/)[ ]?)+", " ");
    }
}
