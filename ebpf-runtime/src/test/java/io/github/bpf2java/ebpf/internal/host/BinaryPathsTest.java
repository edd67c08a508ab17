package io.github.bpf2java.ebpf.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.NativeFixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BinaryPathsTest {

    @Test
    void aLibraryNameResolvesToWhatLdconfigListsForThisArchitecture() throws Exception {
        KernelSupport.assume(Files.isRegularFile(Path.of("/etc/ld.so.cache")), "there is no /etc/ld.so.cache");
        String ldconfig = NativeFixtures.run(List.of("/sbin/ldconfig", "-p"));
        Matcher m = Pattern.compile("^\\s*libc\\.so\\.6 \\(([^)]*)\\) => (\\S+)$", Pattern.MULTILINE)
                .matcher(ldconfig);
        Path expected = null;
        while (m.find() && expected == null) {
            Path candidate = Path.of(m.group(2));
            if (BinaryPaths.forThisMachine(candidate)) {
                expected = candidate;
            }
        }
        assertEquals(expected, BinaryPaths.resolve("libc.so.6"), ldconfig);
        assertTrue(BinaryPaths.fromLdSoCache("libc.so.6").contains(expected));
    }

    @Test
    void aProgramNameResolvesThroughThePath() throws Exception {
        Path bash = BinaryPaths.resolve("bash");
        assertTrue(Files.isSameFile(bash, Path.of("/bin/bash")), bash.toString());
        assertEquals(Path.of("/bin/bash"), BinaryPaths.resolve("/bin/bash"), "a path is taken as it is");
    }

    @Test
    void missingBinariesAreNamedWithWhereItLooked() {
        NotFoundException library = assertThrows(NotFoundException.class,
                () -> BinaryPaths.resolve("libbpf2java-none.so.1"));
        assertTrue(library.hint().orElseThrow().contains("ld.so.cache"), library.hint().orElseThrow());
        NotFoundException path = assertThrows(NotFoundException.class, () -> BinaryPaths.resolve("/no/such/file"));
        assertTrue(path.getMessage().contains("/no/such/file does not exist"), path.getMessage());
    }

    @Test
    void readsTheCacheFormatWithAndWithoutTheOldTable() {
        byte[] modern = cache("libdemo.so.1", "/opt/lib/libdemo.so.1");
        assertEquals(List.of(Path.of("/opt/lib/libdemo.so.1")), BinaryPaths.parseLdSoCache(modern, "libdemo.so.1"));
        assertEquals(List.of(), BinaryPaths.parseLdSoCache(modern, "libother.so"));
        // glibc before 2.32 wrote the old ld.so-1.7.0 table first (here with no entries), then the new one.
        ByteBuffer old = ByteBuffer.allocate(16 + modern.length).order(ByteOrder.nativeOrder());
        old.put("ld.so-1.7.0".getBytes(StandardCharsets.US_ASCII)).putInt(12, 0).position(16);
        old.put(modern);
        assertEquals(List.of(Path.of("/opt/lib/libdemo.so.1")), BinaryPaths.parseLdSoCache(old.array(),
                "libdemo.so.1"));
        assertEquals(List.of(), BinaryPaths.parseLdSoCache(new byte[] {1, 2, 3}, "libdemo.so.1"));
    }

    /** A one-entry cache in glibc's format: header, entry, then the two strings. */
    private static byte[] cache(String name, String path) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] p = (path + "\0").getBytes(StandardCharsets.US_ASCII);
        int strings = 48 + 24;
        ByteBuffer b = ByteBuffer.allocate(strings + n.length + p.length).order(ByteOrder.nativeOrder());
        b.put("glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII));
        b.putInt(20, 1).putInt(24, n.length + p.length);
        b.putInt(48, 0x0303).putInt(52, strings).putInt(56, strings + n.length);
        b.position(strings);
        b.put(n).put(p);
        return b.array();
    }
}
