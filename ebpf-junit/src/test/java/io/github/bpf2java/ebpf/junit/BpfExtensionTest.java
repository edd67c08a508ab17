package io.github.bpf2java.ebpf.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.packet.PacketBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

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

        /** What {@code options()} returns for a generated class: settings, then {@code load()}. */
        public static final class Options {
            String setting = "";

            public Options setting(String value) {
                setting = value;
                return this;
            }

            public Sample load() {
                Sample sample = Sample.load();
                sample.setting = setting;
                return sample;
            }
        }

        String setting = "defaults";

        public static Options options() {
            return new Options();
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

    /** Loads through options a method of the test class gives. */
    @BpfTest
    static class SampleWithOptionsTest {
        @BpfLoadOptions
        Sample.Options configured() {
            return Sample.options().setting("from the test");
        }

        @Test
        void loadedWithThem(Sample sample) {
            SEEN.add(sample.setting);
        }
    }

    /** Two option methods for one class: which one is meant? */
    @BpfTest
    static class TwoOptionsTest {
        @BpfLoadOptions
        static Sample.Options one() {
            return Sample.options();
        }

        @BpfLoadOptions
        static Sample.Options other() {
            return Sample.options();
        }

        @Test
        void neverLoads(Sample sample) {}
    }

    /** Packet builders as a parameterized test's arguments, beside a loaded object and a fresh builder. */
    @BpfTest(Sample.class)
    static class BuildersAsArguments {
        static Stream<PacketBuilder> frames() {
            return Stream.of(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 53),
                    PacketBuilder.ethernet().ipv6("fe80::1", "fe80::2").udp(1, 53));
        }

        @ParameterizedTest
        @MethodSource("frames")
        void eachFrame(PacketBuilder frame, Sample sample) {
            SEEN.add(frame.build().length);
            assertFalse(sample.closed.get());
        }

        @Test
        void fresh(PacketBuilder builder) {
            SEEN.add(builder.ipv4("10.0.0.1", "10.0.0.2").udp(1, 53).build().length);
        }
    }

    /** Shaped like a generated class whose program the verifier rejects. */
    public static final class Rejected implements AutoCloseable {
        public static Rejected load() {
            StringBuilder log = new StringBuilder();
            for (int i = 0; i < 250; i++) {
                log.append("insn ").append(i).append('\n');
            }
            log.append("; return *(u32 *)ptr; @ rejected.c:12\nR1 invalid mem access 'scalar'\n");
            throw new VerifierException("rejected_prog", 13, log.toString(), false);
        }

        public BpfObject object() {
            return null;
        }

        @Override
        public void close() {}
    }

    @BpfTest(Rejected.class)
    static class RejectedTest {
        @Test
        void neverRuns(Rejected rejected) {}
    }

    @Test
    void aVerifierRejectionPutsTheLogInTheReportTheTestCannotReach() {
        Events failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(RejectedTest.class)).execute()
                .testEvents().failed();
        assertEquals(1, failed.count());
        Throwable thrown = failed.stream().findFirst().orElseThrow().getRequiredPayload(
                TestExecutionResult.class).getThrowable().orElseThrow();
        String message = thrown.getMessage();
        assertTrue(message.contains("program 'rejected_prog' was rejected by the verifier"), message);
        assertTrue(message.contains("the verifier's log (its last 200 of 252 lines):"), message);
        assertTrue(message.contains("    insn 52\n") && !message.contains("    insn 51\n"), message);
        assertTrue(message.contains("    R1 invalid mem access 'scalar'"), message);
        assertTrue(thrown.getCause() instanceof VerifierException, String.valueOf(thrown.getCause()));
    }

    @Test
    void builderArgumentsOfAParameterizedTestAreLeftToItsSource() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(BuildersAsArguments.class)).execute()
                .testEvents().assertStatistics(stats -> stats.started(3).succeeded(3).failed(0));
        assertEquals(List.of(42, 42, 62), SEEN.stream().map(Integer.class::cast).sorted().toList(),
                "the two arguments' frames (IPv4 42 bytes, IPv6 62) and a fresh builder's IPv4 frame");
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

    /** A BpfObject parameter with no generated class named, nor one named like the test. */
    @BpfTest
    static class NoGeneratedClassTest {
        @Test
        void objectOnly(BpfObject object) {}
    }

    @Test
    void aBpfObjectParameterWithoutAGeneratedClassSaysWhichClassesItLookedFor() {
        Events failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NoGeneratedClassTest.class))
                .execute().testEvents().failed();
        assertEquals(1, failed.count());
        String message = failed.stream().findFirst().orElseThrow().getRequiredPayload(TestExecutionResult.class)
                .getThrowable().orElseThrow().getMessage();
        assertTrue(message.contains("a BpfObject parameter is the object of a generated class, which "
                + NoGeneratedClassTest.class.getName() + " does not name with @BpfTest(Generated.class); nor is "
                + "there a generated class " + NoGeneratedClassTest.class.getName().replace("NoGeneratedClassTest",
                        "NoGeneratedClass") + " (its name without the suffix)"), message);
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
    void aBpfLoadOptionsMethodSetsHowTheObjectLoads() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(SampleWithOptionsTest.class)).execute()
                .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertEquals(List.of("from the test"), SEEN);
        assertTrue(LOADED.get(0).closed.get());
    }

    @Test
    void twoOptionMethodsForOneClassAreAConfigurationError() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(TwoOptionsTest.class)).execute()
                .testEvents();
        events.assertStatistics(stats -> stats.failed(1));
        String message = events.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow().getMessage();
        assertTrue(message.contains("several @BpfLoadOptions methods return the options of Sample: [one, other]")
                || message.contains("several @BpfLoadOptions methods return the options of Sample: [other, one]"),
                message);
        assertEquals(List.of(), LOADED, "nothing loaded");
    }

    @Test
    void onlyGeneratedShapesQualify() {
        assertTrue(BpfExtension.isGenerated(Sample.class));
        assertFalse(BpfExtension.isGenerated(String.class));
        assertFalse(BpfExtension.isGenerated(AutoCloseable.class));
    }
}
