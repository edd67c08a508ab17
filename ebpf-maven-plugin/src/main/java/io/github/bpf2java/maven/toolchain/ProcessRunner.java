package io.github.bpf2java.maven.toolchain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs an external tool to completion and captures what it printed (standard output and error, interleaved). Not
 * final so that tests can count the real runs.
 */
public class ProcessRunner {

    /** The outcome of one run. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code command} in {@code workingDirectory}.
     *
     * @throws IOException when the program cannot be started
     */
    public Result run(List<String> command, Path workingDirectory) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // clang's diagnostics should not depend on the user's locale or terminal.
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            return new Result(List.copyOf(command), process.waitFor(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        }
    }
}
