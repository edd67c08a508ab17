package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpf2java.ebpf.core.CoreMode;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link LoadOptions} say of themselves in a log line: what was set, not the defaults. */
class LoadOptionsTest {

    @Test
    void toStringNamesWhatWasSetAndOnlyThat() {
        assertEquals("LoadOptions[]", LoadOptions.defaults().toString());
        LoadOptions options = LoadOptions.builder()
                .constant("target_pid", new byte[] {0x2a, 0, 0, 0})
                .maxEntries("counts", 4096)
                .programs(Set.of("handle_exec"))
                .pinRoot(Path.of("/sys/fs/bpf/app"))
                .coreRelocation(CoreMode.KERNEL)
                .build();
        assertEquals("LoadOptions[constants {target_pid=2a000000}, maxEntries {counts=4096}, programs [handle_exec],"
                + " pinRoot /sys/fs/bpf/app, coreRelocation KERNEL]", options.toString());
    }
}
