package io.blastradius.engine;

/** How a run ended, with the exit code the CLI gives it. */
public enum Verdict {
    /** Every hypothesis held in every phase it covers. */
    PASSED(0),
    /** At least one hypothesis failed. */
    DEVIATED(1),
    /** A safety guard fired: every fault was rolled back at once and the run stopped. */
    ABORTED(3),
    /** The run cannot tell: the fault provably did not reach traffic, or the load generator could not hold its rate. */
    INCONCLUSIVE(4),
    /** The harness failed (the replica would not start, a fault could not be applied, ...). */
    ERROR(5);

    /** Exit code for invalid input (a bad experiment file or option). */
    public static final int INVALID_INPUT = 2;

    private final int exitCode;

    Verdict(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
