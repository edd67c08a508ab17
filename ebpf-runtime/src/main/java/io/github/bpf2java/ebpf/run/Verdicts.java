package io.github.bpf2java.ebpf.run;

/**
 * Names of program return codes, for failure messages: {@code 1} says little, {@code XDP_DROP (1)} says what
 * happened.
 */
public final class Verdicts {
    private static final String[] XDP = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"};
    private static final String[] TC = {"TC_ACT_OK", "TC_ACT_RECLASSIFY", "TC_ACT_SHOT", "TC_ACT_PIPE",
        "TC_ACT_STOLEN", "TC_ACT_QUEUED", "TC_ACT_REPEAT", "TC_ACT_REDIRECT", "TC_ACT_TRAP"};

    /** {@code XDP_ABORTED}. */
    public static final int XDP_ABORTED = 0;
    /** {@code XDP_DROP}. */
    public static final int XDP_DROP = 1;
    /** {@code XDP_PASS}. */
    public static final int XDP_PASS = 2;
    /** {@code XDP_TX}. */
    public static final int XDP_TX = 3;
    /** {@code XDP_REDIRECT}. */
    public static final int XDP_REDIRECT = 4;
    /** {@code TC_ACT_UNSPEC}: use the qdisc's default. */
    public static final int TC_ACT_UNSPEC = -1;
    /** {@code TC_ACT_OK}. */
    public static final int TC_ACT_OK = 0;
    /** {@code TC_ACT_RECLASSIFY}. */
    public static final int TC_ACT_RECLASSIFY = 1;
    /** {@code TC_ACT_SHOT}: drop. */
    public static final int TC_ACT_SHOT = 2;
    /** {@code TC_ACT_PIPE}: on to the next action. */
    public static final int TC_ACT_PIPE = 3;
    /** {@code TC_ACT_STOLEN}: consumed, as if dropped. */
    public static final int TC_ACT_STOLEN = 4;
    /** {@code TC_ACT_QUEUED}. */
    public static final int TC_ACT_QUEUED = 5;
    /** {@code TC_ACT_REPEAT}. */
    public static final int TC_ACT_REPEAT = 6;
    /** {@code TC_ACT_REDIRECT}: to where {@code bpf_redirect} said. */
    public static final int TC_ACT_REDIRECT = 7;
    /** {@code TC_ACT_TRAP}. */
    public static final int TC_ACT_TRAP = 8;
    /** {@code TCX_NEXT}: tcx's name for {@code TC_ACT_UNSPEC}, on to the next program. */
    public static final int TCX_NEXT = -1;
    /** {@code TCX_PASS}: tcx's name for {@code TC_ACT_OK}. */
    public static final int TCX_PASS = 0;
    /** {@code TCX_DROP}: tcx's name for {@code TC_ACT_SHOT}. */
    public static final int TCX_DROP = 2;
    /** {@code TCX_REDIRECT}: tcx's name for {@code TC_ACT_REDIRECT}. */
    public static final int TCX_REDIRECT = 7;

    private Verdicts() {}

    /** An XDP action's name with its number, e.g. {@code XDP_DROP (1)}. */
    public static String xdp(int action) {
        return (action >= 0 && action < XDP.length ? XDP[action] : "unknown XDP action") + " (" + action + ")";
    }

    /** A tc action's name with its number, e.g. {@code TC_ACT_SHOT (2)}. */
    public static String tc(int action) {
        String name = action == TC_ACT_UNSPEC ? "TC_ACT_UNSPEC"
                : action >= 0 && action < TC.length ? TC[action] : "unknown tc action";
        return name + " (" + action + ")";
    }
}
