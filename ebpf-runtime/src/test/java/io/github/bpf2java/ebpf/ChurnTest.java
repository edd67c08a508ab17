package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.bpf.LinkInfo;
import io.github.bpf2java.ebpf.internal.bpf.ObjectIds;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.OpenDescriptors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand load, attach and close cycles over objects of several program types leave nothing behind: not a
 * descriptor of this process, nor a program, map or link in the kernel.
 */
class ChurnTest {
    private static final int CYCLES = 10_000;
    // Detaching a tracepoint waits for an RCU grace period (tens of milliseconds): cycles on several threads wait for
    // them together, which keeps the test short without changing what each cycle does.
    private static final int THREADS = 8;
    private static final long DEADLINE_NANOS = 10_000_000_000L;

    private ObjectSpec tracing;
    private ObjectSpec networking;
    private LoadOptions tracingOptions;

    @BeforeEach
    void fixtures() {
        KernelSupport.assumeBpf();
        String compiler = BpfFixtures.installedCompilers().get(0);
        tracing = BpfFixtures.hostSpec("loader", compiler);
        networking = BpfFixtures.hostSpec("conventions", compiler);
        int self = (int) ProcessHandle.current().pid();
        tracingOptions = LoadOptions.builder()
                .constant("target_tgid", ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, self).array())
                .build();
    }

    @Test
    void tenThousandCyclesAcrossProgramTypesLeaveNoDescriptorProgramMapOrLink() throws Exception {
        // Warm up: the JVM and JNA open files of their own on first use.
        cycle(0, ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
        cycle(1, ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
        List<String> descriptorsBefore = OpenDescriptors.kernelObjects();
        long filesBefore = openFiles();

        Set<Integer> programIds = ConcurrentHashMap.newKeySet();
        Set<Integer> mapIds = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < CYCLES; i += THREADS) {
                        cycle(i, programIds, mapIds);
                    }
                    return null;
                }));
            }
            for (Future<?> thread : done) {
                thread.get();
            }
        } finally {
            pool.shutdown();
        }

        assertEquals(descriptorsBefore, OpenDescriptors.kernelObjects(),
                "kernel-object descriptors of this process after " + CYCLES + " cycles");
        // Other files (tracefs, kallsyms) must not pile up either; the JVM's own come and go, hence the margin.
        assertTrue(openFiles() <= filesBefore + 16, "open files grew from " + filesBefore + " to " + openFiles());
        // The kernel frees a closed object once no one holds it, after an RCU grace period: wait for that.
        assertEquals(Set.of(), awaitGone(ObjectIds.Kind.PROGRAM, programIds), "programs still in the kernel");
        assertEquals(Set.of(), awaitGone(ObjectIds.Kind.MAP, mapIds), "maps still in the kernel");
        assertEquals(List.of(), linksOf(programIds), "links still holding one of the programs");
        assertTrue(programIds.size() >= CYCLES, "each cycle loaded at least one program: " + programIds.size());
    }

    /** Even cycles: tracing programs, attached (tracepoint, raw and BTF tracepoint); odd ones: XDP, not attached. */
    private void cycle(int i, Set<Integer> programIds, Set<Integer> mapIds) {
        boolean attach = i % 2 == 0;
        LoadOptions options = attach ? tracingOptions
                : LoadOptions.builder().programs(Set.of("hidden_helper", "weak_symbols")).build();
        try (BpfObject object = BpfObject.load(attach ? tracing : networking, options)) {
            object.programs().forEach(p -> programIds.add(p.id()));
            object.maps().forEach(m -> mapIds.add(m.id()));
            if (attach) {
                assertEquals(3, object.attachAll().links().size());
                object.variable("opens").setLong(i);
            }
        }
    }

    private static Set<Integer> awaitGone(ObjectIds.Kind kind, Set<Integer> ids) throws InterruptedException {
        Set<Integer> alive = Set.copyOf(ids);
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (true) {
            alive = alive.stream().filter(id -> exists(kind, id)).collect(java.util.stream.Collectors.toSet());
            if (alive.isEmpty() || System.nanoTime() > deadline) {
                return alive;
            }
            Thread.sleep(50);
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    private static boolean exists(ObjectIds.Kind kind, int id) {
        try (Fd fd = ObjectIds.open(kind, id)) {
            return true;
        } catch (NotFoundException gone) {
            return false;
        }
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static List<String> linksOf(Set<Integer> programIds) {
        List<String> held = new ArrayList<>();
        OptionalInt next = ObjectIds.nextId(ObjectIds.Kind.LINK, 0);
        while (next.isPresent()) {
            int id = next.getAsInt();
            try (Fd link = ObjectIds.open(ObjectIds.Kind.LINK, id)) {
                LinkInfo info = LinkInfo.of(link);
                if (programIds.contains(info.programId())) {
                    held.add("link " + id + " of program " + info.programId());
                }
            } catch (NotFoundException closedMeanwhile) {
                // Another process's link, gone between listing and opening.
            }
            next = ObjectIds.nextId(ObjectIds.Kind.LINK, id);
        }
        return held;
    }

}
