package io.github.bpf2java.maven;

import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.generate.GenerateRequest;
import io.github.bpf2java.maven.pch.PrecompiledHeaderMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** A throw-away Maven-like project directory for tests, with C fixtures from {@code src/test/bpf}. */
public final class TestProject {
    public static final Path FIXTURES = Path.of("src/test/bpf").toAbsolutePath();

    private final Path root;

    public TestProject(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path bpfDirectory() {
        return root.resolve("src/main/bpf");
    }

    /** Copies fixture {@code name} into {@code src/main/bpf/<as>}. */
    public Path addFixture(String name, String as) throws IOException {
        Path target = bpfDirectory().resolve(as);
        Files.createDirectories(target.getParent());
        return Files.copy(FIXTURES.resolve(name), target);
    }

    /** Writes {@code content} to {@code src/main/bpf/<relative>}. */
    public Path write(String relative, String content) throws IOException {
        Path target = bpfDirectory().resolve(relative);
        Files.createDirectories(target.getParent());
        return Files.writeString(target, content);
    }

    public Path generatedSources() {
        return root.resolve("target/generated-sources/ebpf");
    }

    public Path generatedResources() {
        return root.resolve("target/generated-resources/ebpf");
    }

    /** The request the mojo would build with its defaults, package {@code com.example.ebpf}. */
    public GenerateRequest request() {
        return request(List.of(Target.BPFEL, Target.BPFEB), new PrecompiledHeaderMode.Auto());
    }

    public GenerateRequest request(List<Target> targets, PrecompiledHeaderMode pch) {
        return request(targets, pch, Optional.empty(), List.of());
    }

    public GenerateRequest request(List<Target> targets, PrecompiledHeaderMode pch, Optional<String> clang,
            List<String> types) {
        return requestBuilder().targets(targets).precompiledHeader(pch).clang(clang).types(types).build();
    }

    /** A builder preset with this project's directories, package {@code com.example.ebpf} and parallelism 2. */
    public GenerateRequest.Builder requestBuilder() {
        return GenerateRequest.builder()
                .projectDirectory(root)
                .sourceDirectory(bpfDirectory())
                .outputDirectory(generatedSources())
                .resourceOutputDirectory(generatedResources())
                .cacheDirectory(root.resolve("target/ebpf-cache"))
                .packageName("com.example.ebpf")
                .parallelism(2)
                .generatorVersion("test");
    }

    /** A log that keeps every line, prefixed with its level. */
    public static final class RecordingLog implements BuildLog {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void info(String message) {
            lines.add("INFO " + message);
        }

        @Override
        public void warn(String message) {
            lines.add("WARN " + message);
        }

        @Override
        public void debug(String message) {
            lines.add("DEBUG " + message);
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        public List<String> lines() {
            return List.copyOf(lines);
        }

        public boolean contains(String fragment) {
            return lines().stream().anyMatch(l -> l.contains(fragment));
        }
    }
}
