package io.github.bpf2java.ebpf.attach;

import java.util.Objects;

/**
 * Where a netfilter program runs (Linux 6.4+): a protocol family's hook in the calling thread's network namespace,
 * at a priority among the hook's other functions (iptables' and nftables' chains run at theirs, e.g. filter at 0).
 *
 * @param family     IPv4 or IPv6
 * @param hook       the hook
 * @param priority   lower runs first; not {@link Integer#MIN_VALUE} or {@link Integer#MAX_VALUE}, which the kernel
 *                   reserves
 * @param defragment whether packets are reassembled before the program sees them ({@code BPF_F_NETFILTER_IP_DEFRAG},
 *                   Linux 6.6+)
 */
public record NetfilterOptions(Family family, Hook hook, int priority, boolean defragment) {

    /** The protocol family ({@code NFPROTO_*}). */
    public enum Family {
        /** {@code NFPROTO_IPV4}. */
        IPV4(2),
        /** {@code NFPROTO_IPV6}. */
        IPV6(10);

        private final int value;

        Family(int value) {
            this.value = value;
        }

        /** The UAPI value. */
        public int value() {
            return value;
        }
    }

    /** The hook ({@code NF_INET_*}); the ordinal is the UAPI number. */
    public enum Hook {
        /** {@code NF_INET_PRE_ROUTING}: every received packet, before routing. */
        PRE_ROUTING,
        /** {@code NF_INET_LOCAL_IN}: received packets for this host. */
        LOCAL_IN,
        /** {@code NF_INET_FORWARD}: packets routed through this host. */
        FORWARD,
        /** {@code NF_INET_LOCAL_OUT}: packets this host sends. */
        LOCAL_OUT,
        /** {@code NF_INET_POST_ROUTING}: every packet leaving, after routing. */
        POST_ROUTING
    }

    public NetfilterOptions {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(hook, "hook");
        if (priority == Integer.MIN_VALUE || priority == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("netfilter priorities INT_MIN and INT_MAX are reserved");
        }
    }

    /** {@code hook} of {@code family} at {@code priority}, without defragmentation. */
    public static NetfilterOptions of(Family family, Hook hook, int priority) {
        return new NetfilterOptions(family, hook, priority, false);
    }

    /** These options with defragmentation on. */
    public NetfilterOptions defragmenting() {
        return new NetfilterOptions(family, hook, priority, true);
    }
}
