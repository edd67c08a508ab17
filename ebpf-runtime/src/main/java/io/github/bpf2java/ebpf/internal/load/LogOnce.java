package io.github.bpf2java.ebpf.internal.load;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Advice about an object that stays true every time the same object is loaded or attached again (a section name
 * libbpf refuses, two programs on one event, programs {@code attachAll()} left unattached): logged at its level the
 * first time a message is seen in this JVM, and at {@code DEBUG} after that. An application that reloads its object
 * keeps the first explanation in its log without the repeats; a test that loads one object a thousand times does not
 * write it a thousand times.
 *
 * <pre>{@code
 * LOG.log(LogOnce.level(Level.WARNING, message), message);
 * }</pre>
 *
 * <p>The caller logs, so that the record names the caller's class and method as its source.
 *
 * <p>Internal: part of the loader, not of the stable API.
 */
public final class LogOnce {
    // Messages name objects and programs, so the set holds one entry per distinct piece of advice: a handful per
    // object an application uses, not one per load.
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private LogOnce() {}

    /** {@code first} the first time this JVM asks for {@code message}, {@code DEBUG} every later time. */
    public static Level level(Level first, String message) {
        return SEEN.add(message) ? first : Level.DEBUG;
    }
}
