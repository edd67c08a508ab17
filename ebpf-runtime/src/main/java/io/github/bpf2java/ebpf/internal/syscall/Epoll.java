package io.github.bpf2java.ebpf.internal.syscall;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;

/**
 * An epoll set ({@code epoll(7)}) with a wake-up descriptor in it: a reader waits on its ring buffers' descriptors
 * with a timeout, and {@link #wakeUp()} from any other thread ends that wait at once (and every later one), which is
 * how closing a reader releases a thread blocked in it.
 *
 * <p>One thread waits at a time ({@link #await}, {@link #token}, {@link #events} are not thread-safe); only
 * {@link #wakeUp()} may be called from other threads. The caller must not {@link #close()} it while a wait runs.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class Epoll implements AutoCloseable {
    /** {@code EPOLLIN}: readable. */
    public static final int IN = 0x001;
    /** {@code EPOLLOUT}: writable. */
    public static final int OUT = 0x004;
    /** {@code EPOLLET}: report a descriptor once per change (a kernel wake-up), not as long as it stays ready. */
    public static final int EDGE_TRIGGERED = 1 << 31;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final long WAKE_UP_TOKEN = -1;

    // struct epoll_event { uint32_t events; epoll_data_t data; } is packed on x86 (12 bytes, data at 4) and
    // naturally aligned elsewhere (16 bytes, data at 8): glibc's __EPOLL_PACKED.
    private final int eventSize;
    private final int dataOffset;
    private final Fd epoll;
    private final Fd wakeUp;
    private final NativeBuffer ready;
    private final NativeBuffer control;
    private final long[] tokens;
    private final int[] events;
    private final String description;
    private volatile boolean wokenUp;

    private Epoll(Fd epoll, Fd wakeUp, int capacity, String description) {
        boolean packed = Libc.architecture() == Architecture.X86_64 || Libc.architecture() == Architecture.X86;
        this.eventSize = packed ? 12 : 16;
        this.dataOffset = packed ? 4 : 8;
        this.epoll = epoll;
        this.wakeUp = wakeUp;
        // One more slot than descriptors: the wake-up descriptor may be ready along with all of them.
        this.ready = new NativeBuffer((long) (capacity + 1) * eventSize);
        this.control = new NativeBuffer(eventSize);
        this.tokens = new long[capacity + 1];
        this.events = new int[capacity + 1];
        this.description = description;
    }

    /**
     * A new epoll set with room to report {@code capacity} ready descriptors per wait, holding its wake-up
     * descriptor (an {@code eventfd}).
     *
     * @param description what waits on it, for messages, e.g. {@code ring buffer reader of 'events'}
     * @throws KernelException when the process is out of descriptors
     */
    public static Epoll create(int capacity, String description) {
        if (capacity <= 0) {
            throw new IllegalArgumentException(description + ": an epoll set needs room for a descriptor");
        }
        long epollFd = Libc.epollCreate();
        if (epollFd < 0) {
            throw KernelErrors.forErrno("epoll_create1", (int) -epollFd, description);
        }
        Fd epoll = Fd.adopt((int) epollFd, "epoll set of " + description);
        Fd wakeUp = null;
        try {
            long eventFd = Libc.eventfd();
            if (eventFd < 0) {
                throw KernelErrors.forErrno("eventfd", (int) -eventFd, description);
            }
            wakeUp = Fd.adopt((int) eventFd, "wake-up eventfd of " + description);
            Epoll set = new Epoll(epoll, wakeUp, capacity, description);
            set.add(wakeUp, IN, WAKE_UP_TOKEN);
            return set;
        } catch (RuntimeException e) {
            epoll.close();
            if (wakeUp != null) {
                wakeUp.close();
            }
            throw e;
        }
    }

    /**
     * Adds {@code fd}, to be reported with {@code token} when one of {@code interest} ({@link #IN}, {@link #OUT})
     * holds: by every wait as long as it stays ready, or once per kernel wake-up with {@link #EDGE_TRIGGERED}.
     *
     * @throws KernelException when the descriptor cannot be polled
     */
    public synchronized void add(Fd fd, int interest, long token) {
        control.putInt(0, interest).putLong(dataOffset, token);
        long result;
        try (Fd.Held set = epoll.hold(); Fd.Held target = fd.hold()) {
            result = Libc.epollCtl(set.raw(), EPOLL_CTL_ADD, target.raw(), control.address());
        }
        if (result < 0) {
            throw KernelErrors.forErrno("epoll_ctl(EPOLL_CTL_ADD)", (int) -result, fd.description());
        }
    }

    /** Removes {@code fd} again; nothing happens when it is not in the set. */
    public synchronized void remove(Fd fd) {
        try (Fd.Held set = epoll.hold(); Fd.Held target = fd.hold()) {
            Libc.epollCtl(set.raw(), EPOLL_CTL_DEL, target.raw(), control.address());
        }
    }

    /**
     * Waits at most {@code timeoutMillis} (0: not at all, -1: without limit) until a descriptor is ready or
     * {@link #wakeUp()} is called. A signal ending the wait early counts as nothing ready.
     *
     * @return how many descriptors are ready, each read through {@link #token} and {@link #events}; 0 when the
     *     time ran out or the set was woken up
     */
    public int await(int timeoutMillis) {
        long n;
        try (Fd.Held set = epoll.hold()) {
            n = Libc.epollWait(set.raw(), ready.address(), tokens.length, timeoutMillis);
        }
        if (n < 0) {
            if (Errno.EINTR.is((int) -n)) {
                return 0;
            }
            throw KernelErrors.forErrno("epoll_wait", (int) -n, description);
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            long token = ready.getLong(i * eventSize + dataOffset);
            if (token == WAKE_UP_TOKEN) {
                wokenUp = true;
                continue;
            }
            tokens[count] = token;
            events[count] = ready.getInt(i * eventSize);
            count++;
        }
        return count;
    }

    /** The token of the {@code i}-th ready descriptor of the last {@link #await}. */
    public long token(int i) {
        return tokens[i];
    }

    /** The events ({@link #IN}, {@link #OUT}, error or hang-up bits) of the {@code i}-th ready descriptor. */
    public int events(int i) {
        return events[i];
    }

    /**
     * The set's own descriptor: an epoll set is itself pollable (readable while one of its descriptors is ready), so
     * it can go into another set.
     */
    public Fd descriptor() {
        return epoll;
    }

    /** Whether {@link #wakeUp()} has been called. */
    public boolean isWokenUp() {
        return wokenUp;
    }

    /**
     * Ends the wait in progress, and every later one, at once. Safe from any thread; does nothing once closed.
     */
    public void wakeUp() {
        wokenUp = true;
        try (NativeBuffer one = new NativeBuffer(Long.BYTES).putLong(0, 1); Fd.Held held = wakeUp.hold()) {
            // EAGAIN only when the counter is at its maximum: it is readable then anyway.
            Libc.write(held.raw(), one.address(), Long.BYTES);
        } catch (IllegalStateException closed) {
            // Nobody can be waiting on a closed set.
        }
    }

    /** Closes the set and its wake-up descriptor; no thread may be waiting in it. Later calls do nothing. */
    @Override
    public synchronized void close() {
        if (!epoll.isClosed()) {
            epoll.close();
            wakeUp.close();
            ready.close();
            control.close();
        }
    }

    @Override
    public String toString() {
        return "epoll set of " + description + (epoll.isClosed() ? " (closed)" : "");
    }
}
