package io.github.bpf2java.ebpf.internal.poll;

import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.Errno;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which maps a reader or writer of this process holds for itself, by kernel map id: a perf event array's CPU slots,
 * a ring buffer's consumer position and a user ring buffer's producer position each admit one owner, and a second
 * one in the same process would silently take over or corrupt them. The id, not the Java object, identifies the
 * map: the generated class and {@code BpfMap.openPinned} hand out different objects for one kernel map.
 *
 * <p>Process-wide by necessity: two readers built from unrelated objects must see each other. Claims are taken when
 * a reader is built and given back when it is released, never on a read path. Other processes cannot be seen here.
 *
 * <p>Internal: part of the readers' mechanics, not of the stable API.
 */
public final class MapClaims {
    private static final ConcurrentMap<Integer, String> HOLDERS = new ConcurrentHashMap<>();

    private MapClaims() {}

    /**
     * Claims map {@code mapId} for {@code holder}.
     *
     * @param what      the map as the message names it, e.g. {@code perf event array 'events'}
     * @param holder    who claims it, e.g. {@code perf event reader of 'events'}
     * @param operation what is being opened, e.g. {@code PerfEventReader.build}
     * @param why       what a second owner would do, e.g. {@code a second reader would take over its CPU slots}
     * @param fix       how to get the map, e.g. {@code close the other reader first}
     * @throws BusyException when another holder of this process has the map
     */
    public static Claim claim(int mapId, String what, String holder, String operation, String why, String fix) {
        String previous = HOLDERS.putIfAbsent(mapId, holder);
        if (previous != null) {
            String subject = what + " (map id " + mapId + ")";
            throw new BusyException(subject + " is already in use in this process, by the " + previous + ": " + why,
                    operation, Errno.EBUSY.number(), subject, fix);
        }
        return new Claim(mapId, holder);
    }

    /** A map held by one owner until {@link #close()}; closing twice is harmless. */
    public static final class Claim implements AutoCloseable {
        private final int mapId;
        private final String holder;
        private final AtomicBoolean released = new AtomicBoolean();

        private Claim(int mapId, String holder) {
            this.mapId = mapId;
            this.holder = holder;
        }

        /** Gives the map back. */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                HOLDERS.remove(mapId, holder);
            }
        }
    }
}
