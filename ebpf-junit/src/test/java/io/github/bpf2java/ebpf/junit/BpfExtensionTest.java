package io.github.bpf2java.ebpf.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.bpf2java.ebpf.BpfObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * {@link BpfTest} through the real Jupiter engine, with a class shaped like a generated one (static {@code load()},
 * {@code object()}, {@code close()}) that records what the extension does with it: one load per test, injected into
 * every parameter that asks, closed after the test even when it fails.
 */
class BpfExtensionTest {
    static final List<Sample> LOADED = new ArrayList<>();
    static final List<Object> SEEN = new ArrayList<>();

    /** Shaped like what {@code ebpf:generate} writes. */
    public static final class Sample implements AutoCloseable {
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicBoolean objectAsked = new AtomicBoolean();

        public static Sample load() {
            Sample sample = new Sample();
            LOADED.add(sample);
            return sample;
        }

        public BpfObject object() {
            objectAsked.set(true);
            return null; // no kernel object behind this stand-in; the extension passes what object() returns
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** Found by convention: "SampleTest" without "Test" is "Sample". */
    @BpfTest
    static class SampleTest {
        @Test
        void first(Sample sample, Sample again, BpfObject object) {
            SEEN.add(sample);
            assertSame(sample, again);
            assertFalse(sample.closed.get());
            assertTrue(sample.objectAsked.get());
        }

        @Test
        void failing(Sample sample) {
            SEEN.add(sample);
            throw new AssertionError("fails on purpose");
        }
    }

    /** Named explicitly. */
    @BpfTest(Sample.class)
    static class Named {
        @Test
        void objectOnly(BpfObject object) {
            SEEN.add(object);
        }
    }

    @BeforeEach
    void reset() {
        LOADED.clear();
        SEEN.clear();
    }

    @Test
    void loadsPerTestInjectsAndClosesEvenAfterAFailure() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(SampleTest.class)).execute().testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertEquals(2, LOADED.size(), "one load per test");
        assertNotSame(LOADED.get(0), LOADED.get(1));
        assertTrue(LOADED.stream().allMatch(s -> s.closed.get()), "every loaded object closed");
        assertEquals(LOADED, SEEN);
    }

    @Test
    void aNamedClassBacksABpfObjectParameter() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(Named.class)).execute().testEvents()
                .assertStatistics(stats -> stats.started(1).succeeded(1));
        assertEquals(1, LOADED.size());
        assertTrue(LOADED.get(0).objectAsked.get());
        assertTrue(LOADED.get(0).closed.get());
    }

    @Test
    void onlyGeneratedShapesQualify() {
        assertTrue(BpfExtension.isGenerated(Sample.class));
        assertFalse(BpfExtension.isGenerated(String.class));
        assertFalse(BpfExtension.isGenerated(AutoCloseable.class));
    }
}
