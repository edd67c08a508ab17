package io.github.bpf2java.maven.codegen;

/** Sizes as the generated Javadoc and messages print them: {@code 1 byte}, {@code 16 bytes}. */
final class Sizes {
    private Sizes() {}

    /** {@code size} with the noun in the right number, e.g. {@code 1 byte}, {@code 0 bytes}, {@code 2 bytes}. */
    static String bytes(long size) {
        return size + (size == 1 ? " byte" : " bytes");
    }
}
