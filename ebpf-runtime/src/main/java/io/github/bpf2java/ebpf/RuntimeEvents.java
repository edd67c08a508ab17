package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.bpf.ProgramInfo;
import io.github.bpf2java.ebpf.internal.events.AttachEvent;
import io.github.bpf2java.ebpf.internal.events.DetachEvent;
import io.github.bpf2java.ebpf.internal.events.ObjectLoadEvent;
import io.github.bpf2java.ebpf.internal.events.ReaderStatisticsEvent;
import io.github.bpf2java.ebpf.internal.events.TestRunEvent;
import io.github.bpf2java.ebpf.internal.link.KernelLink;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.run.TestRun;
import java.lang.System.Logger.Level;

/**
 * Reports the facade's lifecycle: Flight Recorder events, and the same steps as {@code DEBUG} log lines (logger
 * {@code io.github.bpf2java.ebpf.BpfObject}), so an operator who turns logging up sees each load, attach, detach and
 * reader close. Each method checks first whether the event or line is wanted, so a process without a recording or
 * debug logging pays a check, and the costly fields (program info queries) are computed only when they are used.
 */
final class RuntimeEvents {
    private static final System.Logger LOG = System.getLogger(BpfObject.class.getName());

    private RuntimeEvents() {}

    static ObjectLoadEvent beginLoad() {
        ObjectLoadEvent event = new ObjectLoadEvent();
        event.begin();
        return event;
    }

    static void loaded(ObjectLoadEvent event, BpfObject object) {
        event.end();
        LOG.log(Level.DEBUG, () -> "loaded " + object.spec().name() + ": programs " + object.programs().stream()
                .map(p -> p.name() + " (" + p.type() + ", id " + idOrClosed(p::id) + ")").toList() + ", maps "
                + object.maps().stream().map(m -> m.name() + " (" + m.type() + ", id " + idOrClosed(m::id) + ")")
                        .toList());
        if (!event.shouldCommit()) {
            return;
        }
        event.object = object.spec().name();
        event.programs = object.programs().size();
        event.maps = object.maps().size();
        for (BpfProgram program : object.programs()) {
            try {
                ProgramInfo info = ProgramInfo.of(program.handle());
                event.verifiedInstructions += info.verifiedInsns();
                event.translatedBytes += info.xlatedLength();
            } catch (RuntimeException e) {
                // the numbers are a courtesy; an object closed under us still gets its event
            }
        }
        event.succeeded = true;
        event.commit();
    }

    static void loadFailed(ObjectLoadEvent event, String object, RuntimeException error) {
        event.end();
        if (event.shouldCommit()) {
            event.object = object;
            event.succeeded = false;
            event.error = error.getClass().getSimpleName() + ": " + error.getMessage();
            event.commit();
        }
    }

    /**
     * The id of the attachment's {@code bpf_link}, for the attach and detach events; 0 when it has none, or while no
     * recording takes either event (asking the kernel costs a system call).
     */
    static int linkId(KernelLink link) {
        if (!new AttachEvent().isEnabled() && !new DetachEvent().isEnabled()) {
            return 0;
        }
        try {
            return link.bpfLink().map(fd -> Links.info(fd).id()).orElse(0);
        } catch (RuntimeException e) {
            return 0; // an id for a recording must not fail the attach
        }
    }

    static void attached(String object, String program, int linkId, BpfLink link) {
        LOG.log(Level.DEBUG, () -> "attached " + describe(object, program) + ": " + link.description());
        new AttachEvent().commit(object, program, linkId, link.description());
    }

    static void detached(String object, String program, int linkId, String link) {
        LOG.log(Level.DEBUG, () -> "detached " + describe(object, program) + ": " + link);
        new DetachEvent().commit(object, program, linkId, link);
    }

    private static String describe(String object, String program) {
        return program.isEmpty() ? object : "program '" + program + "' of " + object;
    }

    /** An id for a log line: the object may be closed by another thread meanwhile. */
    private static String idOrClosed(java.util.function.IntSupplier id) {
        try {
            return Integer.toString(id.getAsInt());
        } catch (RuntimeException closed) {
            return "?";
        }
    }

    static TestRunEvent beginTestRun() {
        TestRunEvent event = new TestRunEvent();
        event.begin();
        return event;
    }

    static void testRan(TestRunEvent event, Fd program, TestRun run, int returnValue, long meanRunTimeNs) {
        event.end();
        if (event.shouldCommit()) {
            event.program = program.description();
            event.repeat = run.repeat();
            event.returnValue = returnValue;
            event.meanRunTime = meanRunTimeNs;
            event.commit();
        }
    }

    static void readerClosed(String reader, long records, long lost) {
        LOG.log(Level.DEBUG, () -> "closed " + reader + ": " + records + " records read, " + lost + " lost");
        ReaderStatisticsEvent event = new ReaderStatisticsEvent();
        if (event.shouldCommit()) {
            event.reader = reader;
            event.records = records;
            event.lost = lost;
            event.commit();
        }
    }
}
