package io.github.bpf2java.ebpf.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The names failure messages give return codes: each constant's own, tcx's aliases among them. */
class VerdictsTest {

    @Test
    void everyActionIsNamedWithItsNumber() {
        assertEquals("XDP_DROP (1)", Verdicts.xdp(Verdicts.XDP_DROP));
        assertEquals("unknown XDP action (9)", Verdicts.xdp(9));
        assertEquals("TC_ACT_UNSPEC (-1)", Verdicts.tc(Verdicts.TCX_NEXT));
        assertEquals("TC_ACT_OK (0)", Verdicts.tc(Verdicts.TCX_PASS));
        assertEquals("TC_ACT_SHOT (2)", Verdicts.tc(Verdicts.TCX_DROP));
        assertEquals("TC_ACT_PIPE (3)", Verdicts.tc(Verdicts.TC_ACT_PIPE));
        assertEquals("TC_ACT_REDIRECT (7)", Verdicts.tc(Verdicts.TCX_REDIRECT));
        assertEquals("TC_ACT_TRAP (8)", Verdicts.tc(Verdicts.TC_ACT_TRAP));
        assertEquals("unknown tc action (9)", Verdicts.tc(9));
    }
}
