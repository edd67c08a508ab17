package io.github.bpf2java.maven.mojo;

import java.nio.file.Path;
import org.apache.maven.model.Resource;
import org.apache.maven.project.MavenProject;

/**
 * Adds the generated sources as a compile source root and the objects as a resource directory. Done on every run,
 * also when nothing was regenerated, so that the compiler, the jar and IDEs always see them.
 */
public final class SourceRootRegistrar {

    /** Registers both directories with {@code project}, each once. */
    public void register(MavenProject project, Path sourceDirectory, Path resourceDirectory) {
        String sources = sourceDirectory.toString();
        if (!project.getCompileSourceRoots().contains(sources)) {
            project.addCompileSourceRoot(sources);
        }
        String resources = resourceDirectory.toString();
        boolean known = project.getResources().stream().anyMatch(r -> resources.equals(r.getDirectory()));
        if (!known) {
            Resource resource = new Resource();
            resource.setDirectory(resources);
            project.addResource(resource);
        }
    }
}
