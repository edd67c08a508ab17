package com.example.ebpf;

/**
 * Hand-written code in the package of the generated classes: its unqualified {@code String} must still be
 * java.lang.String, which a generated class named {@code String} would hide.
 */
public final class Describe {
    private Describe() {}

    /** The program names of both generated classes. */
    public static String programs() {
        String counter = Counter.spec().program("handle_exec").orElseThrow().name();
        String strings = StringBpf.spec().program("remember_comm").orElseThrow().name();
        return counter + "," + strings;
    }
}
