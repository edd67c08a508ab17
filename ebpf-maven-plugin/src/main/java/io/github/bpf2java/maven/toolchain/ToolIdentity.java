package io.github.bpf2java.maven.toolchain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which executable a tool really is, cheap to compute without running it: the real path (symlinks resolved), size
 * and modification time. When it equals the one recorded by the previous build, that build's {@code --version}
 * output is reused instead of starting a process.
 */
public record ToolIdentity(Path realPath, long size, long modifiedMillis) {

    public static ToolIdentity of(Path executable) throws IOException {
        Path real = executable.toRealPath();
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        return new ToolIdentity(real, attributes.size(), attributes.lastModifiedTime().toMillis());
    }

    /** One line for the cache file. */
    public String key() {
        return size + ":" + modifiedMillis + ":" + realPath;
    }
}
