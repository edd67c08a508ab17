package io.github.bpf2java.maven.generate;

import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.pch.PrecompiledHeaderMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything one run of {@code ebpf:generate} needs, already validated and with every path absolute. Immutable;
 * the mojo builds it from its parameters, tests build it directly.
 *
 * @param projectDirectory        the project's base directory; clang runs there
 * @param sourceDirectory         where the C sources are
 * @param includes                include patterns relative to {@code sourceDirectory}
 * @param excludes                exclude patterns
 * @param outputDirectory         where the generated Java sources go (a compile source root)
 * @param resourceOutputDirectory where the objects go (a resource directory), below the package's path
 * @param cacheDirectory          the incremental build's state, PCHs and scratch space
 * @param packageName             the package of the generated classes
 * @param clang                   the configured clang (path or name), empty to search {@code PATH}
 * @param cflags                  extra clang flags
 * @param includeDirectories      extra {@code -I} directories
 * @param cpu                     clang's {@code -mcpu}
 * @param strip                   whether DWARF is stripped (BTF is kept)
 * @param targets                 what each source is compiled for
 * @param types                   BTF type names to generate records for besides those the maps and globals use
 * @param precompiledHeader       how precompiled headers are used
 * @param parallelism             at most this many clang processes at once
 * @param generatorVersion        the plugin's version; a different plugin version regenerates everything
 */
public record GenerateRequest(
        Path projectDirectory,
        Path sourceDirectory,
        List<String> includes,
        List<String> excludes,
        Path outputDirectory,
        Path resourceOutputDirectory,
        Path cacheDirectory,
        String packageName,
        Optional<String> clang,
        List<String> cflags,
        List<Path> includeDirectories,
        String cpu,
        boolean strip,
        List<Target> targets,
        List<String> types,
        PrecompiledHeaderMode precompiledHeader,
        int parallelism,
        String generatorVersion) {

    public GenerateRequest {
        projectDirectory = projectDirectory.toAbsolutePath().normalize();
        sourceDirectory = sourceDirectory.toAbsolutePath().normalize();
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        outputDirectory = outputDirectory.toAbsolutePath().normalize();
        resourceOutputDirectory = resourceOutputDirectory.toAbsolutePath().normalize();
        cacheDirectory = cacheDirectory.toAbsolutePath().normalize();
        cflags = List.copyOf(cflags);
        includeDirectories = includeDirectories.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        targets = List.copyOf(targets);
        types = List.copyOf(types);
    }

    /** The resource path of the package, e.g. {@code com/example/ebpf}. */
    public String packagePath() {
        return packageName.replace('.', '/');
    }
}
