package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;

/** Which facade method attaches a program whose section does not say where, for error messages. */
final class AttachMethods {
    private AttachMethods() {}

    /** The call that attaches {@code program}, e.g. {@code attachXdp(interfaceName)}; empty when none exists. */
    static String forProgram(ProgramSpec program) {
        ProgramType type = program.type().orElse(ProgramType.UNSPEC);
        return switch (type) {
            case XDP -> "attachXdp(interfaceName)";
            case SCHED_CLS -> "attachTcx(interfaceName, TcxOptions.ingress()) (Linux 6.6+) or "
                    + "attachTc(interfaceName, TcOptions.ingress())";
            case CGROUP_SKB, CGROUP_SOCK, CGROUP_SOCK_ADDR, CGROUP_SOCKOPT, CGROUP_SYSCTL, CGROUP_DEVICE, SOCK_OPS ->
                    "attachCgroup(cgroupDirectory)";
            case SOCKET_FILTER -> "attachSocketFilter(channel) or attachSocketFilter(socketFd)";
            case SK_LOOKUP, FLOW_DISSECTOR -> "attachNetworkNamespace(Path.of(\"/proc/self/ns/net\"))";
            case SK_MSG, SK_SKB -> "attachSocketMap(sockmap)";
            case NETFILTER -> "attachNetfilter(NetfilterOptions.of(family, hook, priority))";
            case STRUCT_OPS -> "attachStructOps(mapName) on the object, which registers the struct_ops map whose "
                    + "member the program implements";
            default -> "";
        };
    }
}
