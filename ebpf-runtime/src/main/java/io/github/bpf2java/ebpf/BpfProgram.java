package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.attach.CgroupOptions;
import io.github.bpf2java.ebpf.attach.NetfilterOptions;
import io.github.bpf2java.ebpf.attach.TcOptions;
import io.github.bpf2java.ebpf.attach.TcxOptions;
import io.github.bpf2java.ebpf.attach.XdpOptions;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.internal.bpf.Pins;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.link.Attacher;
import io.github.bpf2java.ebpf.internal.link.CgroupAttacher;
import io.github.bpf2java.ebpf.internal.link.KernelLink;
import io.github.bpf2java.ebpf.internal.link.NetworkAttacher;
import io.github.bpf2java.ebpf.internal.link.SocketAttacher;
import io.github.bpf2java.ebpf.internal.netlink.Interfaces;
import io.github.bpf2java.ebpf.internal.syscall.ChannelSockets;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.nio.channels.NetworkChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A program loaded into the kernel, owned by its {@link BpfObject}. The links made through it belong to the object
 * too: closing a link detaches the program, closing the object detaches everything.
 */
public final class BpfProgram {
    private final BpfObject owner;
    private final ProgramSpec spec;
    private final ProgramType type;
    private final Fd fd;

    BpfProgram(BpfObject owner, ProgramSpec spec, ProgramType type, Fd fd) {
        this.owner = owner;
        this.spec = spec;
        this.type = type;
        this.fd = fd;
    }

    /** The C function name. */
    public String name() {
        return spec.name();
    }

    /** The ELF section it came from, e.g. {@code tracepoint/syscalls/sys_enter_execve}. */
    public String sectionName() {
        return spec.sectionName();
    }

    /** The program type it was loaded as. */
    public ProgramType type() {
        return type;
    }

    /** What the object file says about this program. */
    public ProgramSpec spec() {
        return spec;
    }

    /** The program's file descriptor, valid until its object is closed. */
    public int fd() {
        return fd.raw();
    }

    /** Whether {@link #attach()} knows where this program goes: its section names a tracepoint, a BTF target, .... */
    public boolean attachesBySection() {
        return Attacher.attachesBySection(spec);
    }

    /**
     * Attaches where the section name says: {@code tracepoint/<category>/<name>}, {@code raw_tp/<name>},
     * {@code tp_btf/<name>}, {@code fentry/<function>}, {@code lsm/<hook>}, {@code iter/<target>}.
     *
     * @throws BpfException when the section does not say where or the kernel refuses
     */
    public BpfLink attach() {
        return owner.adopt(Attacher.attachBySection(spec, fd));
    }

    /** Attaches to the tracepoint {@code category/name} (tracefs {@code events/<category>/<name>}). */
    public BpfLink attachTracepoint(String category, String name) {
        return owner.adopt(Attacher.tracepoint(fd, category, name));
    }

    /** Attaches to the raw tracepoint {@code name}, e.g. {@code sched_switch}. */
    public BpfLink attachRawTracepoint(String name) {
        return owner.adopt(Attacher.rawTracepoint(fd, name));
    }

    // ---- Networking, cgroups, sockets and pinning: one-line entries; the mechanics live in internal.link ----------

    /** {@link #attachXdp(String, XdpOptions)} in the kernel's choice of mode. */
    public BpfLink attachXdp(String interfaceName) {
        return attachXdp(interfaceName, XdpOptions.defaults());
    }

    /**
     * Attaches this XDP program to the network interface {@code interfaceName} of the calling thread's network
     * namespace, through a {@code bpf_link} (Linux 5.9+; rtnetlink before, or when the options ask for it).
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when there is no such interface
     * @throws io.github.bpf2java.ebpf.error.BusyException when the interface has an XDP program already
     */
    public BpfLink attachXdp(String interfaceName, XdpOptions options) {
        requireType("attachXdp", "SEC(\"xdp\")", ProgramType.XDP);
        return owner.adopt(NetworkAttacher.xdp(fd, Interfaces.index(interfaceName), interfaceName, options));
    }

    /** {@link #attachXdp(String, XdpOptions)} by interface index. */
    public BpfLink attachXdp(int interfaceIndex, XdpOptions options) {
        requireType("attachXdp", "SEC(\"xdp\")", ProgramType.XDP);
        return owner.adopt(NetworkAttacher.xdp(fd, interfaceIndex, "interface " + interfaceIndex, options));
    }

    /**
     * Attaches this {@code SCHED_CLS} program to {@code interfaceName} through tcx (Linux 6.6+): in order among the
     * programs there, detached when the link is closed.
     */
    public BpfLink attachTcx(String interfaceName, TcxOptions options) {
        requireType("attachTcx", "SEC(\"tcx/ingress\") or SEC(\"tc\")", ProgramType.SCHED_CLS);
        return owner.adopt(NetworkAttacher.tcx(fd, Interfaces.index(interfaceName), interfaceName, options));
    }

    /**
     * Attaches this {@code SCHED_CLS} program the legacy way, as a direct-action {@code cls_bpf} filter on the
     * interface's {@code clsact} qdisc (added when missing, removed again on close if this added it and nothing
     * else uses it), for kernels without tcx. The filter stays if the process dies without closing the link.
     */
    public BpfLink attachTc(String interfaceName, TcOptions options) {
        requireType("attachTc", "SEC(\"tc\")", ProgramType.SCHED_CLS);
        return owner.adopt(NetworkAttacher.tc(fd, name(), Interfaces.index(interfaceName), interfaceName, options));
    }

    /** {@link #attachCgroup(Path, CgroupOptions)} with a {@code bpf_link} at the hook the section names. */
    public BpfLink attachCgroup(Path cgroup) {
        return attachCgroup(cgroup, CgroupOptions.defaults());
    }

    /**
     * Attaches this program to a cgroup v2 directory (skb, sock, sock_addr, sockopt, sysctl, device, sock_ops
     * programs): a {@code bpf_link} (Linux 5.7+), or the legacy attachment with flags when the options ask for it.
     */
    public BpfLink attachCgroup(Path cgroup, CgroupOptions options) {
        return owner.adopt(CgroupAttacher.attach(fd, name(), spec.expectedAttachType(), cgroup, options));
    }

    /**
     * Attaches this socket filter ({@code SEC("socket")}) to the socket behind {@code channel}, found as
     * {@link #attachSocketFilter(int)} explains for channels: the channel must be bound. The link holds its own
     * descriptor of the socket, so the socket stays open until both the channel and the link are closed.
     */
    public BpfLink attachSocketFilter(NetworkChannel channel) {
        requireType("attachSocketFilter", "SEC(\"socket\")", ProgramType.SOCKET_FILTER);
        return owner.adopt(SocketAttacher.socketFilter(fd, ChannelSockets.duplicate(channel)));
    }

    /**
     * Attaches this socket filter to the socket {@code socketFd} ({@code SO_ATTACH_BPF}); the link duplicates the
     * descriptor, so the caller may close its own. Closing the link detaches the filter.
     */
    public BpfLink attachSocketFilter(int socketFd) {
        requireType("attachSocketFilter", "SEC(\"socket\")", ProgramType.SOCKET_FILTER);
        return owner.adopt(SocketAttacher.socketFilter(fd, Fd.duplicate(socketFd, "socket fd " + socketFd)));
    }

    /** Attaches this sk_msg or sk_skb program to a sockmap or sockhash, at the hook its section names. */
    public BpfLink attachSocketMap(BpfMap map) {
        requireType("attachSocketMap", "SEC(\"sk_msg\") or SEC(\"sk_skb/...\")", ProgramType.SK_MSG,
                ProgramType.SK_SKB);
        return owner.adopt(SocketAttacher.sockmap(fd, name(), spec.expectedAttachType(), map.handle().fd()));
    }

    /**
     * Attaches this sk_lookup or flow dissector program to a network namespace, named by a file that refers to it:
     * {@code /proc/self/ns/net} for this process's, {@code /run/netns/<name>} for one {@code ip netns} made.
     */
    public BpfLink attachNetworkNamespace(Path namespace) {
        requireType("attachNetworkNamespace", "SEC(\"sk_lookup\") or SEC(\"flow_dissector\")",
                ProgramType.SK_LOOKUP, ProgramType.FLOW_DISSECTOR);
        return owner.adopt(SocketAttacher.networkNamespace(fd, name(), spec.expectedAttachType(), namespace));
    }

    /** Attaches this netfilter program to a hook of the calling thread's network namespace (Linux 6.4+). */
    public BpfLink attachNetfilter(NetfilterOptions options) {
        requireType("attachNetfilter", "SEC(\"netfilter\")", ProgramType.NETFILTER);
        return owner.adopt(SocketAttacher.netfilter(fd, options));
    }

    /**
     * Pins this program at {@code path} on a bpffs, where it stays loaded after the object is closed and other
     * processes can open it, until the file is removed.
     *
     * @throws io.github.bpf2java.ebpf.error.BusyException when something is pinned there already
     */
    public void pin(Path path) {
        Pins.pin(fd, path);
    }

    /** The program's system-wide id, as {@code bpftool prog} lists it. */
    public int id() {
        return Programs.info(fd).id();
    }

    private void requireType(String method, String section, ProgramType... accepted) {
        if (Arrays.stream(accepted).noneMatch(t -> t == type)) {
            throw new BpfException("program '" + name() + "' is a " + type + " program; " + method + " takes "
                    + Arrays.toString(accepted) + " programs", "declare it with " + section, null);
        }
    }

    Fd handle() {
        return fd;
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name() + ", " + type + ", section " + sectionName() + "]";
    }
}
