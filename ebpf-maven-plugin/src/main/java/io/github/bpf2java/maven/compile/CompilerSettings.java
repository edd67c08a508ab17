package io.github.bpf2java.maven.compile;

import io.github.bpf2java.maven.toolchain.Toolchain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything about how clang is invoked that is the same for every source: the toolchain, the working directory,
 * include directories, extra flags, the BPF CPU version and whether DWARF is stripped.
 *
 * @param toolchain          clang and the strip tool
 * @param projectDirectory   clang's working directory; mapped to {@code .} in debug information
 * @param includeDirectories {@code -I} directories, in order
 * @param cflags             extra flags, after the plugin's own so they can override them
 * @param cpu                the value of {@code -mcpu}
 * @param strip              whether DWARF is removed after compiling
 * @param sourceTreeRoot     the checkout's root, {@code projectDirectory} or a directory above it (a multi-module
 *                           build's): headers under it are named relative to the project in debug information
 */
public record CompilerSettings(
        Toolchain toolchain,
        Path projectDirectory,
        List<Path> includeDirectories,
        List<String> cflags,
        String cpu,
        boolean strip,
        Path sourceTreeRoot) {

    public CompilerSettings {
        includeDirectories = List.copyOf(includeDirectories);
        cflags = List.copyOf(cflags);
    }

    /** Settings for a project that is its own source tree. */
    public CompilerSettings(Toolchain toolchain, Path projectDirectory, List<Path> includeDirectories,
            List<String> cflags, String cpu, boolean strip) {
        this(toolchain, projectDirectory, includeDirectories, cflags, cpu, strip, projectDirectory);
    }

    /**
     * The flags shared by every compile for {@code target}, PCH builds included: optimisation, BTF, warnings,
     * reproducibility, target, includes and the user's flags. Source, output and dependency-file arguments are
     * added by the caller.
     */
    public List<String> flags(Target target) {
        List<String> args = new ArrayList<>();
        args.add(toolchain.clang().toString());
        // -g is what makes clang emit BTF; -O2 is what the verifier expects from BPF code.
        args.addAll(List.of("-O2", "-g", "-Wall", "-fno-ident"));
        // Reproducible output: no absolute build paths in the objects. Headers shared from elsewhere in the checkout
        // (a multi-module build's common include directory) are named relative to the project, e.g.
        // ../common/include/shared.h, so moving the checkout changes nothing. clang applies the last map that
        // matches, so the project's own files still map to ".".
        if (!sourceTreeRoot.equals(projectDirectory) && projectDirectory.startsWith(sourceTreeRoot)) {
            args.add("-fdebug-prefix-map=" + sourceTreeRoot + "=" + projectDirectory.relativize(sourceTreeRoot));
        }
        args.add("-fdebug-prefix-map=" + projectDirectory + "=.");
        args.add("-fdebug-compilation-dir=.");
        args.add("-mcpu=" + cpu);
        args.addAll(target.clangArguments());
        for (Path include : includeDirectories) {
            args.add("-I" + relativeIfInside(include));
        }
        args.addAll(cflags);
        return args;
    }

    /** {@code path} relative to the project directory when it lies inside it, so clang prints short paths. */
    public String relativeIfInside(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (absolute.startsWith(projectDirectory) && !absolute.equals(projectDirectory)) {
            return projectDirectory.relativize(absolute).toString();
        }
        return absolute.toString();
    }
}
