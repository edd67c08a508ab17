package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees with the runtime's logging turned up to DEBUG (JUL's FINE, as the user guide configures it):
 * each load with its programs and maps, each attach and detach, each reader's close with its counts.
 */
class LifecycleLoggingTest {
    private final Logger logger = Logger.getLogger(BpfObject.class.getName());
    private final List<String> lines = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (lines) {
                lines.add(record.getLevel() + " " + record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level before;

    @BeforeEach
    void captureDebugLines() {
        KernelSupport.assumeBpf();
        before = logger.getLevel();
        logger.setLevel(Level.FINE);
        capture.setLevel(Level.FINE);
        logger.addHandler(capture);
    }

    @AfterEach
    void restore() {
        logger.removeHandler(capture);
        logger.setLevel(before);
    }

    @Test
    void loadAttachDetachAndReaderCloseAreLoggedAtDebugWithIds() {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("counter", BpfFixtures.installedCompilers()
                .get(0)))) {
            BpfProgram program = object.programs().get(0);
            try (BpfLink link = program.attach()) {
                assertLogged("FINE loaded counter: programs [" + program.name() + " (" + program.type() + ", id "
                        + program.id() + ")]");
                assertLogged("FINE attached program '" + program.name() + "' of counter: " + link.description());
            }
            assertLogged("FINE detached program '" + program.name() + "' of counter: ");
        }
    }

    private void assertLogged(String start) {
        synchronized (lines) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(start)), "no line starting '" + start + "' in "
                    + lines);
        }
    }
}
