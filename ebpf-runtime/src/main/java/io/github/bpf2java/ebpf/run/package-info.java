/**
 * Running a loaded program on test input ({@code BPF_PROG_TEST_RUN}): what to feed it ({@link
 * io.github.bpf2java.ebpf.run.TestRun}) and what came out ({@link io.github.bpf2java.ebpf.run.TestRunResult}). Run
 * one with {@code BpfProgram.testRun(TestRun)}.
 *
 * <h2>What the kernel accepts, by program type</h2>
 * <table>
 * <caption>Test-run input per program type (Linux 6.x)</caption>
 * <tr><th>Program type</th><th>data</th><th>context</th><th>repeat</th><th>flags</th></tr>
 * <tr><td>XDP</td><td>a frame: at least {@value io.github.bpf2java.ebpf.run.TestRun#ETH_HLEN} bytes (Ethernet
 *     header), at most a page minus headroom</td><td>optional {@code struct xdp_md} (ingress ifindex, rx queue,
 *     data_meta)</td><td>yes</td><td>{@link io.github.bpf2java.ebpf.run.TestRun.Flag#XDP_LIVE_FRAMES} (5.18+;
 *     needs repeat and no data/context out), batch size with it</td></tr>
 * <tr><td>tc ({@code sched_cls}, {@code sched_act}), socket filter, cgroup skb, lwt</td><td>a frame of at least
 *     {@value io.github.bpf2java.ebpf.run.TestRun#ETH_HLEN} bytes; one whose EtherType says IPv4 or IPv6 must hold
 *     the whole IP header as well (34 or 54 bytes), or the kernel refuses it with {@code EINVAL}</td><td>optional
 *     {@code struct __sk_buff}
 *     (mark, priority, ifindex, cb, tstamp, ...; other fields must be zero)</td><td>yes</td><td>none</td></tr>
 * <tr><td>flow dissector</td><td>a frame of at least {@value io.github.bpf2java.ebpf.run.TestRun#ETH_HLEN}
 *     bytes; the resulting {@code struct bpf_flow_keys} comes back as <em>data out</em> (ask for 56 bytes of
 *     room), not context out</td><td>optional {@code struct bpf_flow_keys} (only {@code flags})</td><td>yes</td>
 *     <td>none</td></tr>
 * <tr><td>raw tracepoint ({@code raw_tp}, {@code raw_tracepoint.w})</td><td>none</td><td>the tracepoint's
 *     arguments as an array of up to 12 {@code u64}; no context out</td><td>no (must stay 0)</td><td>{@link
 *     io.github.bpf2java.ebpf.run.TestRun.Flag#RUN_ON_CPU} with a CPU</td></tr>
 * <tr><td>tracing (fentry/fexit/fmod_ret)</td><td>none</td><td>none</td><td>no</td><td>none (runs the attach
 *     target once; the program must be attached)</td></tr>
 * <tr><td>syscall</td><td>none</td><td>any bytes the program reads; the kernel writes the context back into
 *     the input (it refuses {@code ctx_out}): ask for context out and {@code BpfProgram.testRun} returns it from
 *     there</td><td>no</td><td>none</td></tr>
 * <tr><td>sk_lookup</td><td>none</td><td>{@code struct bpf_sk_lookup} (addresses, ports, protocol)</td><td>yes
 *     </td><td>none</td></tr>
 * <tr><td>netfilter (6.4+)</td><td>with the default hook ({@code NF_INET_LOCAL_OUT}) an IP packet without
 *     Ethernet header, at least 20 bytes; with another hook a frame</td><td>optional {@code struct nf_hook_state}:
 *     only {@code hook} and {@code pf}</td><td>yes</td><td>none</td></tr>
 * </table>
 * Other types (kprobes, tracepoints, perf events, cgroup sock, ...) cannot be test-run: the kernel answers
 * {@code ENOTSUPP} (524) and {@code BpfProgram.testRun} throws a {@code KernelException} saying so.
 */
package io.github.bpf2java.ebpf.run;
