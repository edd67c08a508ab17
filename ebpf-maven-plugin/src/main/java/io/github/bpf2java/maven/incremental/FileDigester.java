package io.github.bpf2java.maven.incremental;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Digests files, each distinct file at most once per build. A stat cache from the previous build (size and
 * modification time → digest) lets an unchanged file skip hashing; a file whose size or time changed is hashed
 * again, so correctness rests on the digest, not on the time stamp.
 */
public final class FileDigester {

    /** What the stat cache remembers of a file. */
    public record Stat(long size, long modifiedNanos, Digest digest) {}

    private final Map<Path, Stat> previous;
    private final Map<Path, Optional<Stat>> current = new ConcurrentHashMap<>();
    private int hashed;

    /** A digester that trusts {@code previous} for files whose size and time did not change. */
    public FileDigester(Map<Path, Stat> previous) {
        this.previous = Map.copyOf(previous);
    }

    /** The digest of {@code file}; empty when it does not exist. */
    public Optional<Digest> digest(Path file) throws IOException {
        Optional<Stat> known = current.get(file);
        if (known != null) {
            return known.map(Stat::digest);
        }
        Optional<Stat> stat = compute(file);
        current.put(file, stat);
        return stat.map(Stat::digest);
    }

    private Optional<Stat> compute(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        long size = attributes.size();
        long modified = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        Stat old = previous.get(file);
        if (old != null && old.size() == size && old.modifiedNanos() == modified) {
            return Optional.of(old);
        }
        MessageDigest sha = Digest.sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        synchronized (this) {
            hashed++;
        }
        return Optional.of(new Stat(size, modified, new Digest(HexFormat.of().formatHex(sha.digest()))));
    }

    /** How many files were actually read and hashed (not answered from the stat cache), for debug logs. */
    public synchronized int hashedCount() {
        return hashed;
    }

    /**
     * The stat cache to keep for the next build: every file seen in this one, except files modified in the last
     * {@link #RACY_WINDOW_NANOS} before {@code nowNanos}: such a file could change again within the time stamp's
     * granularity without its stat changing, so the next build hashes it again.
     */
    public Map<Path, Stat> statCache(long nowNanos) {
        Map<Path, Stat> out = new TreeMap<>();
        current.forEach((path, stat) -> stat.filter(s -> s.modifiedNanos() < nowNanos - RACY_WINDOW_NANOS)
                .ifPresent(s -> out.put(path, s)));
        return out;
    }

    /** Two seconds: more than any file system's time stamp granularity that matters here. */
    public static final long RACY_WINDOW_NANOS = 2_000_000_000L;
}
