package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.fs.Tracefs;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading lines with timeouts: from a FIFO, where the test controls what arrives and when, and from the kernel's
 * real trace pipe, fed by a program's {@code bpf_printk}.
 */
class TracePipeTest {
    private static final Duration SHORT = Duration.ofMillis(200);
    private static final Duration NO_HANG = Duration.ofSeconds(10);

    @TempDir
    Path scratch;

    @Test
    void joinsChunksIntoLinesAndKeepsPartialLinesForLater() throws Exception {
        Path fifo = fifo();
        try (TracePipe pipe = TracePipe.open(fifo); OutputStream writer = new FileOutputStream(fifo.toFile())) {
            write(writer, "first\nsec");
            assertEquals(Optional.of("first"), pipe.readLine(NO_HANG));
            assertEquals(Optional.empty(), pipe.readLine(SHORT), "a line without its newline is not complete");
            write(writer, "ond\nthird\n\nlast ünïcode\n");
            assertEquals(Optional.of("second"), pipe.readLine(NO_HANG));
            assertEquals(Optional.of("third"), pipe.readLine(Duration.ZERO));
            assertEquals(Optional.of(""), pipe.readLine(Duration.ZERO));
            assertEquals(Optional.of("last ünïcode"), pipe.readLine(Duration.ZERO));
        }
    }

    @Test
    void readUntilSkipsToTheFirstMatchingLineOrGivesUpInTime() throws Exception {
        Path fifo = fifo();
        try (TracePipe pipe = TracePipe.open(fifo); OutputStream writer = new FileOutputStream(fifo.toFile())) {
            write(writer, "other tracer\nbpf_trace_printk: hello 1\nbpf_trace_printk: hello 2\nafter\n");
            assertEquals(Optional.of("bpf_trace_printk: hello 2"),
                    pipe.readUntil(line -> line.endsWith("hello 2"), NO_HANG));
            assertEquals(Optional.of("after"), pipe.readLine(Duration.ZERO), "the lines after the match stay");
            write(writer, "no\nmatch\n");
            long start = System.nanoTime();
            assertEquals(Optional.empty(), pipe.readUntil(line -> line.equals("never"), SHORT));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 150 && waited < 5000, "gave up after " + waited + " ms");
            assertEquals(Optional.empty(), pipe.readLine(Duration.ZERO), "the lines that did not match were dropped");
        }
    }

    @Test
    void waitsForALineThatArrivesLater() throws Exception {
        Path fifo = fifo();
        try (TracePipe pipe = TracePipe.open(fifo); OutputStream writer = new FileOutputStream(fifo.toFile())) {
            Thread late = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    write(writer, "late\n");
                } catch (InterruptedException | IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            late.start();
            assertEquals(Optional.of("late"), pipe.readLine(NO_HANG));
            late.join();
        }
    }

    @Test
    void returnsEmptyWhenNoCompleteLineArrivesInTime() throws Exception {
        Path fifo = fifo();
        try (TracePipe pipe = TracePipe.open(fifo)) {
            // No writer ever: reads see end of file and poll(2) says "hung up" at once; still no line, no hang.
            assertEquals(Optional.empty(), assertTimeoutPreemptively(NO_HANG, () -> pipe.readLine(SHORT)));
            try (OutputStream writer = new FileOutputStream(fifo.toFile())) {
                write(writer, "no newline yet");
                assertEquals(Optional.empty(), assertTimeoutPreemptively(NO_HANG, () -> pipe.readLine(SHORT)));
                assertEquals(Optional.empty(), pipe.readLine(Duration.ZERO));
                assertEquals(Optional.empty(), pipe.readLine(Duration.ofSeconds(-1)));
            }
        }
    }

    @Test
    void stopsWaitingWhenInterrupted() throws Exception {
        Path fifo = fifo();
        try (TracePipe pipe = TracePipe.open(fifo); OutputStream writer = new FileOutputStream(fifo.toFile())) {
            write(writer, "no newline yet");
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    outcome.set(pipe.readLine(Duration.ofDays(1)));
                } catch (InterruptedException | RuntimeException e) {
                    outcome.set(e);
                }
            });
            reader.start();
            Thread.sleep(300);
            reader.interrupt();
            reader.join(NO_HANG.toMillis());
            assertFalse(reader.isAlive(), "readLine went on waiting after an interrupt");
            assertInstanceOf(InterruptedException.class, outcome.get());
        }
    }

    @Test
    void refusesToReadOnceClosed() throws Exception {
        TracePipe pipe = TracePipe.open(fifo());
        pipe.close();
        pipe.close();
        assertThrows(IllegalStateException.class, () -> pipe.readLine(Duration.ZERO));
    }

    @Test
    void namesTheFileThatCannotBeOpened() {
        Path missing = scratch.resolve("no_such_pipe");
        NotFoundException e = assertThrows(NotFoundException.class, () -> TracePipe.open(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void deliversTheLinesOfBpfPrintk() throws Exception {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        ObjectSpec spec = ObjectSpec.read("trace_printk", BpfFixtures.compile("trace_printk", BpfFixtures.CLANG,
                ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? BpfFixtures.BPFEL : BpfFixtures.BPFEB,
                false).bytes());
        int marker = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        byte[] markerBytes = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(marker).array();
        Tracefs tracefs = Tracefs.findOrMount();
        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder().constant("marker", markerBytes).build());
                TracePipe pipe = TracePipe.open()) {
            assertEquals(tracefs.root().resolve("trace_pipe"), pipe.path());
            object.attachAll();
            Process child = new ProcessBuilder("/bin/true").start();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            String expected = "trace_printk fixture " + marker + ": exec by " + child.pid();

            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + NO_HANG.toNanos();
            while (System.nanoTime() < deadline) {
                Optional<String> line = pipe.readLine(Duration.ofMillis(500));
                if (line.isPresent() && line.get().endsWith(expected)) {
                    assertTrue(line.get().contains("bpf_trace_printk: "), line.get());
                    return;
                }
                line.ifPresent(seen::add);
            }
            throw new AssertionError("no line ending in '" + expected + "' within " + NO_HANG + "; read " + seen);
        } finally {
            tracefs.unmount();
        }
    }

    private Path fifo() throws IOException, InterruptedException {
        Path mkfifo = KernelSupport.assumeTool("mkfifo");
        Path fifo = scratch.resolve("lines");
        Process p = new ProcessBuilder(mkfifo.toString(), fifo.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        return fifo;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
