package io.github.bpf2java.ebpf.internal.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * The per-type part of {@code BPF_LINK_CREATE} (the union inside {@code link_create}): what a link of a given attach
 * type needs beyond the program, target and attach type.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public sealed interface LinkParameters {

    /** Nothing more: cgroup, netns, XDP, sk_lookup, sockmap links. */
    record None() implements LinkParameters {}

    /** {@code target_btf_id}: freplace and tracing links to a BTF id of the target. */
    record TargetBtfId(int btfId) implements LinkParameters {}

    /**
     * {@code iter_info}, {@code iter_info_len}: a {@code union bpf_iter_link_info} (map, cgroup, task) in host byte
     * order, or nothing (no pointer, length 0) when {@code info} is empty.
     */
    record Iterator(byte[] info) implements LinkParameters {
        public Iterator {
            info = info.clone();
        }

        /** No parameters: the iterator walks everything its target has. */
        public static Iterator none() {
            return new Iterator(new byte[0]);
        }

        /** {@code map.map_fd}: the map a map-element, socket-storage or sockmap iterator walks. */
        public static Iterator map(int mapFd) {
            return new Iterator(buffer().putInt(AttrLayout.IterLinkInfo.MAP_FD, mapFd).array());
        }

        /** {@code task}: at most one of a thread id, a process id and a pidfd is non-zero. */
        public static Iterator task(int tid, int pid, int pidFd) {
            return new Iterator(buffer().putInt(AttrLayout.IterLinkInfo.TASK_TID, tid)
                    .putInt(AttrLayout.IterLinkInfo.TASK_PID, pid)
                    .putInt(AttrLayout.IterLinkInfo.TASK_PID_FD, pidFd).array());
        }

        /** {@code cgroup}: the walk order and the start, by descriptor or by id (at most one non-zero). */
        public static Iterator cgroup(int order, int cgroupFd, long cgroupId) {
            return new Iterator(buffer().putInt(AttrLayout.IterLinkInfo.CGROUP_ORDER, order)
                    .putInt(AttrLayout.IterLinkInfo.CGROUP_FD, cgroupFd)
                    .putLong(AttrLayout.IterLinkInfo.CGROUP_ID, cgroupId).array());
        }

        private static ByteBuffer buffer() {
            return ByteBuffer.allocate(AttrLayout.IterLinkInfo.SIZE).order(ByteOrder.nativeOrder());
        }

        @Override
        public byte[] info() {
            return info.clone();
        }
    }

    /** {@code perf_event.bpf_cookie}: a kprobe, uprobe or tracepoint program on a perf event. */
    record PerfEvent(long cookie) implements LinkParameters {}

    /** {@code tracing}: fentry, fexit, fmod_ret, LSM links with a BPF cookie. */
    record Tracing(int targetBtfId, long cookie) implements LinkParameters {}

    /**
     * {@code kprobe_multi}: one program on many kernel functions, named by symbol (or address when
     * {@code symbols} is empty).
     *
     * @param flags     {@code BPF_F_KPROBE_MULTI_RETURN} (1) for kretprobes
     * @param symbols   the function names
     * @param addresses the function addresses, when no symbols are given
     * @param cookies   one cookie per function, or empty
     */
    record KprobeMulti(int flags, List<String> symbols, long[] addresses, long[] cookies) implements LinkParameters {
        public KprobeMulti {
            symbols = List.copyOf(symbols);
            addresses = addresses.clone();
            cookies = cookies.clone();
            int count = symbols.isEmpty() ? addresses.length : symbols.size();
            if (count == 0 || !symbols.isEmpty() && addresses.length != 0) {
                throw new IllegalArgumentException("kprobe_multi needs either symbols or addresses");
            }
            if (cookies.length != 0 && cookies.length != count) {
                throw new IllegalArgumentException("kprobe_multi needs one cookie per function or none");
            }
        }

        /** How many functions. */
        public int count() {
            return symbols.isEmpty() ? addresses.length : symbols.size();
        }

        @Override
        public long[] addresses() {
            return addresses.clone();
        }

        @Override
        public long[] cookies() {
            return cookies.clone();
        }
    }

    /**
     * {@code uprobe_multi}: one program on many offsets of one binary.
     *
     * @param path          the binary
     * @param offsets       file offsets of the probed instructions
     * @param refCtrOffsets semaphore offsets (USDT), or empty
     * @param cookies       one cookie per offset, or empty
     * @param flags         {@code BPF_F_UPROBE_MULTI_RETURN} (1) for uretprobes
     * @param pid           only this process, or 0 for all
     */
    record UprobeMulti(String path, long[] offsets, long[] refCtrOffsets, long[] cookies, int flags, int pid)
            implements LinkParameters {
        public UprobeMulti {
            Objects.requireNonNull(path, "path");
            offsets = offsets.clone();
            refCtrOffsets = refCtrOffsets.clone();
            cookies = cookies.clone();
            if (offsets.length == 0) {
                throw new IllegalArgumentException("uprobe_multi on " + path + " needs at least one offset");
            }
            if (refCtrOffsets.length != 0 && refCtrOffsets.length != offsets.length
                    || cookies.length != 0 && cookies.length != offsets.length) {
                throw new IllegalArgumentException("uprobe_multi on " + path
                        + ": reference counter offsets and cookies must be one per offset, or none");
            }
        }

        @Override
        public long[] offsets() {
            return offsets.clone();
        }

        @Override
        public long[] refCtrOffsets() {
            return refCtrOffsets.clone();
        }

        @Override
        public long[] cookies() {
            return cookies.clone();
        }
    }

    /** {@code netfilter}: protocol family, hook number, priority and flags of a netfilter hook. */
    record Netfilter(int protocolFamily, int hook, int priority, int flags) implements LinkParameters {}

    /**
     * {@code tcx} / {@code netkit}: where in the device's ordered program list to insert, and the list revision
     * expected.
     *
     * @param relativeFdOrId   a program or link to insert before or after (with {@code BPF_F_BEFORE} /
     *                         {@code BPF_F_AFTER}, {@code BPF_F_ID}), or 0
     * @param expectedRevision fail unless the list is at this revision; 0 for any
     */
    record Ordered(int relativeFdOrId, long expectedRevision) implements LinkParameters {}
}
