package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.core.CoreMode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the loader resolves CO-RE relocations.
 *
 * @param mode      in user space (default) or by the kernel
 * @param kernelBtf the BTF file to relocate against instead of the running kernel's; when empty, the
 *                  {@code ebpf.kernelBtf} system property may name one
 */
public record CoreSettings(CoreMode mode, Optional<Path> kernelBtf) {
    /** The system property naming a BTF file to relocate against. */
    public static final String KERNEL_BTF_PROPERTY = "ebpf.kernelBtf";

    /** User space CO-RE against the running kernel's BTF (or the property's file). */
    public static final CoreSettings DEFAULT = new CoreSettings(CoreMode.USER_SPACE, Optional.empty());

    /** The BTF file to use: the one given, else the system property's, else none (the running kernel's). */
    Optional<Path> targetFile() {
        if (kernelBtf.isPresent()) {
            return kernelBtf;
        }
        String property = System.getProperty(KERNEL_BTF_PROPERTY);
        return property == null || property.isBlank() ? Optional.empty() : Optional.of(Path.of(property));
    }
}
