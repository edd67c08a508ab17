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

/**
 * Emits the facade's Flight Recorder events. Each method checks first whether the event is wanted, so a process
 * without a recording pays one check, and the costly fields (program info queries) are computed only for events that
 * will be recorded.
 */
final class RuntimeEvents {
    private RuntimeEvents() {}

    static ObjectLoadEvent beginLoad() {
        ObjectLoadEvent event = new ObjectLoadEvent();
        event.begin();
        return event;
    }

    static void loaded(ObjectLoadEvent event, BpfObject object) {
        event.end();
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
        new AttachEvent().commit(object, program, linkId, link.description());
    }

    static void detached(String object, String program, int linkId, String link) {
        new DetachEvent().commit(object, program, linkId, link);
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
        ReaderStatisticsEvent event = new ReaderStatisticsEvent();
        if (event.shouldCommit()) {
            event.reader = reader;
            event.records = records;
            event.lost = lost;
            event.commit();
        }
    }
}
