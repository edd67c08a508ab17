package io.github.bpf2java.maven.generate;

import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Runs the real tools and records each command, so a test can tell which processes a build started. */
final class CountingRunner extends ProcessRunner {
    private final List<List<String>> runs = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Result run(List<String> command, Path workingDirectory) throws IOException {
        runs.add(command);
        return super.run(command, workingDirectory);
    }

    /** The commands run so far, in order. */
    List<List<String>> runs() {
        synchronized (runs) {
            return List.copyOf(runs);
        }
    }

    /** How many processes ran. */
    int count() {
        return runs.size();
    }
}
