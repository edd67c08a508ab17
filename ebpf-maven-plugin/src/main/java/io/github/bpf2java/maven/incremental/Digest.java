package io.github.bpf2java.maven.incremental;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A SHA-256 digest, as lowercase hex. */
public record Digest(String hex) {

    /** A fresh SHA-256 instance (every JVM has one). */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Collects parts into one digest; each part is length-prefixed so that ("ab","c") differs from ("a","bc"). */
    public static final class Builder {
        private final MessageDigest digest = sha256();

        public Builder add(String part) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) ':');
            digest.update(bytes);
            return this;
        }

        public Builder add(Digest part) {
            return add(part.hex());
        }

        public Digest build() {
            return new Digest(HexFormat.of().formatHex(digest.digest()));
        }
    }

    @Override
    public String toString() {
        return hex;
    }
}
