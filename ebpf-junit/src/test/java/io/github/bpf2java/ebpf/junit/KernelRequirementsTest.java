package io.github.bpf2java.ebpf.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.bpf2java.ebpf.spec.ProgramType;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The requirement annotations, run through the real Jupiter engine (EngineTestKit): an unmet requirement aborts
 * (skips) normally and fails in strict mode; a met one runs the test.
 */
class KernelRequirementsTest {

    /** Fixture classes run by the engine inside the tests below, not by the build directly. */
    static class Unmet {
        @Test
        @RequiresKernel("999.0")
        void futureKernel() {}

        @Test
        @RequiresKernel("2.6")
        void ancientKernel() {}
    }

    @RequiresKernel("999.0")
    static class UnmetClass {
        @Test
        void needsTheFuture() {}
    }

    @RequiresProgramType(ProgramType.SOCKET_FILTER)
    @RequiresCapability(Capability.BPF)
    static class Capable {
        @Test
        void runs() {}
    }

    static class Tools {
        @Test
        @RequiresTool("sh")
        void aToolEveryLinuxHas() {}

        @Test
        @RequiresTool({"sh", "no-such-tool-bpf2java"})
        void aToolNoMachineHas() {}
    }

    private static Events run(Class<?> type, boolean strict) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(type))
                .configurationParameter("ebpf.requireKernel", Boolean.toString(strict))
                .execute().testEvents();
    }

    @Test
    void anUnmetRequirementSkipsNormally() {
        // The explicit configuration parameter (false) wins over EBPF_REQUIRE_KERNEL=1 in the environment.
        Events events = run(Unmet.class, false);
        events.assertStatistics(stats -> stats.skipped(1).started(1).succeeded(1).failed(0).aborted(0));
        String reason = events.skipped().stream().findFirst().orElseThrow().getPayload(String.class).orElseThrow();
        assertTrue(reason.contains("needs Linux 999.0 or later, this kernel is "), reason);
        assertTrue(reason.contains("EBPF_REQUIRE_KERNEL=1"), reason);
    }

    @Test
    void anUnmetRequirementOnTheClassSkipsTheClassWithTheReason() {
        Events classes = EngineTestKit.engine("junit-jupiter").selectors(selectClass(UnmetClass.class))
                .configurationParameter("ebpf.requireKernel", "false").execute().containerEvents();
        String reason = classes.skipped().stream().findFirst().orElseThrow().getPayload(String.class).orElseThrow();
        assertTrue(reason.contains("needs Linux 999.0 or later"), reason);
        assertEquals(1, classes.skipped().count(), "the class is reported skipped, not silently empty");
    }

    @Test
    void anUnmetRequirementFailsInStrictMode() {
        Events events = run(Unmet.class, true);
        events.assertStatistics(stats -> stats.started(2).failed(1).succeeded(1).aborted(0));
        events.assertThatEvents().haveExactly(1, event(test("futureKernel"),
                finishedWithFailure(message(m -> m.contains("strict mode") && m.contains("999.0")))));
        events.assertThatEvents().haveExactly(1, event(test("ancientKernel"), finishedSuccessfully()));
    }

    @Test
    void metRequirementsRunTheTestEvenInStrictMode() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Capability.BPF.held() || Capability.SYS_ADMIN.held(),
                "not privileged");
        org.junit.jupiter.api.Assumptions.assumeTrue(Capability.BPF.held(), "CAP_BPF not held");
        run(Capable.class, true).assertStatistics(stats -> stats.succeeded(1).failed(0).aborted(0));
    }

    @Test
    void aMissingToolSkipsNamingItAndFailsInStrictMode() {
        Events events = run(Tools.class, false);
        events.assertStatistics(stats -> stats.skipped(1).succeeded(1).failed(0));
        String reason = events.skipped().stream().findFirst().orElseThrow().getPayload(String.class).orElseThrow();
        assertTrue(reason.contains("needs the program 'no-such-tool-bpf2java', which is not an executable on the "
                + "PATH"), reason);
        assertTrue(!reason.contains("'sh'"), "sh is there: " + reason);

        run(Tools.class, true).assertThatEvents().haveExactly(1, event(test("aToolNoMachineHas"),
                finishedWithFailure(message(m -> m.contains("strict mode") && m.contains("no-such-tool-bpf2java")))));
        assertTrue(KernelRequirements.onPath("sh").isPresent());
    }

    @Test
    void releasesCompareByNumbers() {
        assertTrue(KernelRequirements.compare("6.18.0-1-amd64", "5.15") > 0);
        assertTrue(KernelRequirements.compare("5.15.0", "5.15") == 0);
        assertTrue(KernelRequirements.compare("5.4.0-150-generic", "5.15") < 0);
        assertTrue(KernelRequirements.compare("6.1", "6.1.1") < 0);
        assertEquals(0, KernelRequirements.compare("6.2-rc1", "6.2"));
    }
}
