/**
 * An application that is a named module: it requires the runtime (transitively, since the generated class's API
 * is made of the runtime's types) and exports the generated package. It does not open that package to the
 * runtime: the generated class reads its embedded object itself.
 */
module com.example.execs {
    requires transitive io.github.bpf2java.ebpf;

    exports com.example.ebpf;
}
