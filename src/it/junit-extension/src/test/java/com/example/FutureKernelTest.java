package com.example;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpf2java.ebpf.junit.RequiresKernel;
import org.junit.jupiter.api.Test;

/**
 * Needs a kernel no machine runs: skipped normally, a failure under the strict switch
 * ({@code ebpf.requireKernel=true} or {@code EBPF_REQUIRE_KERNEL=1}). Run only by the 'strict' and 'lenient' profiles.
 */
class FutureKernelTest {

    @Test
    @RequiresKernel("99.0")
    void neverRunsOnThisKernel() {
        fail("@RequiresKernel(\"99.0\") let the test run");
    }
}
