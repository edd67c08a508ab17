/**
 * bpf2java's runtime: loads BPF objects into the kernel from pure Java.
 *
 * <p>The API is what this module exports: the facade ({@code io.github.bpf2java.ebpf}: {@code BpfObject},
 * {@code BpfProgram}, {@code BpfMap}, {@code BpfLink}, the event readers, ...), attach options
 * ({@code io.github.bpf2java.ebpf.attach}), typed data ({@code io.github.bpf2java.ebpf.codec}), the exception hierarchy
 * ({@code io.github.bpf2java.ebpf.error}), the object spec ({@code io.github.bpf2java.ebpf.spec}), BTF reading and
 * writing ({@code io.github.bpf2java.ebpf.btf}), the CO-RE check ({@code io.github.bpf2java.ebpf.core}), the static
 * linker ({@code io.github.bpf2java.ebpf.linker}), test runs ({@code io.github.bpf2java.ebpf.run}) and test packets
 * ({@code io.github.bpf2java.ebpf.packet}).
 * Everything under {@code io.github.bpf2java.ebpf.internal} may change in any release; on the class path it is
 * reachable, but nothing there is supported API.
 */
// JNA's usual jar has only an Automatic-Module-Name; its jna-jpms jar, the same classes with a descriptor, is the
// one jlink takes (docs/user-guide.md, "Named modules and jlink").
@SuppressWarnings("requires-automatic")
module io.github.bpf2java.ebpf {
    requires com.sun.jna;
    // Flight Recorder events (off unless a recording enables them); jdk.jfr ships with every full JDK 17+.
    requires jdk.jfr;

    exports io.github.bpf2java.ebpf;
    exports io.github.bpf2java.ebpf.attach;
    exports io.github.bpf2java.ebpf.btf;
    exports io.github.bpf2java.ebpf.codec;
    exports io.github.bpf2java.ebpf.core;
    exports io.github.bpf2java.ebpf.error;
    exports io.github.bpf2java.ebpf.linker;
    exports io.github.bpf2java.ebpf.packet;
    exports io.github.bpf2java.ebpf.run;
    exports io.github.bpf2java.ebpf.spec;
}
