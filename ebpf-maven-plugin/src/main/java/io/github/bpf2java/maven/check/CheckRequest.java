package io.github.bpf2java.maven.check;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code ebpf:check} was asked to do.
 *
 * @param projectDirectory what relative kernel BTF locations are relative to
 * @param objectDirectory  where {@code ebpf:generate} put the objects (its resource output directory)
 * @param objectIncludes   patterns of the objects to check, relative to {@code objectDirectory}; empty means all
 * @param objectExcludes   patterns of the objects not to check
 * @param kernelBtfs       kernel BTF files and directories; empty means the running kernel's, when it has one
 * @param failOnError      whether relocations that cannot be satisfied fail the build, or are only warned about
 * @param parallelism      how many kernels are checked at once
 */
public record CheckRequest(Path projectDirectory, Path objectDirectory, List<String> objectIncludes,
        List<String> objectExcludes, List<Path> kernelBtfs, boolean failOnError, int parallelism) {

    public CheckRequest {
        objectIncludes = List.copyOf(objectIncludes);
        objectExcludes = List.copyOf(objectExcludes);
        kernelBtfs = List.copyOf(kernelBtfs);
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism " + parallelism + " < 1");
        }
    }
}
