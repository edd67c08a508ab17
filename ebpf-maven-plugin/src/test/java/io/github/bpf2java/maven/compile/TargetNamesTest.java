package io.github.bpf2java.maven.compile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.EmbeddedObject;
import org.junit.jupiter.api.Test;

class TargetNamesTest {

    @Test
    void runtimeKnowsEveryTargetThePluginBuilds() {
        for (Target target : Target.values()) {
            assertTrue(EmbeddedObject.knownTargets().contains(target.targetName()), target.targetName());
        }
    }
}
