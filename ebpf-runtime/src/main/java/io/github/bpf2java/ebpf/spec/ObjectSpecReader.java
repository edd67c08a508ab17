package io.github.bpf2java.ebpf.spec;

/** Turns an ELF file into an {@link ObjectSpec}. */
final class ObjectSpecReader {
    // TODO(parse helper): implement.
    private final String name;
    private final byte[] bytes;

    ObjectSpecReader(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
    }

    ObjectSpec read() {
        throw new UnsupportedOperationException("not yet implemented: " + name + " (" + bytes.length + " bytes)");
    }
}
