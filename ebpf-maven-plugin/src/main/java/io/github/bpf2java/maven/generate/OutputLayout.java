package io.github.bpf2java.maven.generate;

import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.source.BpfSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a source's outputs go: {@code <resources>/<package path>/<base>_<target>.o} per target and
 * {@code <sources>/<package path>/<Class>.java}.
 *
 * @param objectDirectory the package's directory under the resource output directory
 * @param classDirectory  the package's directory under the generated-sources directory
 * @param targets         the targets built
 */
record OutputLayout(Path objectDirectory, Path classDirectory, List<Target> targets) {

    static OutputLayout of(GenerateRequest request) {
        return new OutputLayout(request.resourceOutputDirectory().resolve(request.packagePath()),
                request.outputDirectory().resolve(request.packagePath()), request.targets());
    }

    Path objectFile(BpfSource source, Target target) {
        return objectDirectory.resolve(source.baseName() + "_" + target.targetName() + ".o");
    }

    Path classFile(BpfSource source) {
        return classDirectory.resolve(source.className() + ".java");
    }

    /** Every output of {@code source} for the default targets: its objects in target order, then its class. */
    List<Path> outputsOf(BpfSource source) {
        return outputsOf(source, targets);
    }

    /** Every output of {@code source} built for {@code built}: its objects in target order, then its class. */
    List<Path> outputsOf(BpfSource source, List<Target> built) {
        List<Path> outputs = new ArrayList<>();
        for (Target target : built) {
            outputs.add(objectFile(source, target));
        }
        outputs.add(classFile(source));
        return outputs;
    }
}
