package io.github.bpf2java.ebpf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * A run of the {@code probe_target} fixture: started, it waits for a line on its standard input, so a test attaches
 * to it (by pid, too) before it does anything; {@link #go()} lets it run and returns its output. Always killed on
 * close.
 */
public final class TracedProcess implements AutoCloseable {
    private final Process process;

    private TracedProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code binary} with {@code args}; it waits for {@link #go()}. */
    public static TracedProcess start(Path binary, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("BPF2JAVA_PROBE_TARGET", "seen");
            return new TracedProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its process id. */
    public int pid() {
        return (int) process.pid();
    }

    /** Lets it run to the end; returns what it printed (trimmed). */
    public String go() {
        try {
            process.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Assertions.assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the traced process did not finish");
            Assertions.assertEquals(0, process.exitValue(), "traced process exit status; output: " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
