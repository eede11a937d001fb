package io.blastradius.engine;

import java.time.Duration;
import java.util.List;

/**
 * From what a run measured to its verdict, in order: a fault that could not be applied is an ERROR; a
 * generator that fell behind (late or short of its plan) or a fault that provably reached no traffic is
 * INCONCLUSIVE; a failed check is DEVIATED; otherwise PASSED. Pure, so every rule is unit-tested.
 */
public final class Judgement {

    /** Generator lateness (p99) beyond which a run cannot be judged. */
    public static final Duration MAX_GENERATOR_LAG = Duration.ofMillis(100);
    /** Share of the planned requests that must have been sent. */
    public static final double MIN_SENT_SHARE = 0.99;

    private Judgement() {
    }

    /** One fault as the verdict sees it: a label, why it failed (or null), and the fault proxy's count (or null). */
    public record FaultReach(String label, String error, Long connectionsAffected) {
    }

    /** What the run measured. */
    public record Evidence(List<FaultReach> faults, boolean routesFeltIt, long lagP99Micros, long planned, long sent, List<Check> checks) {
    }

    public static Verdict judge(Evidence e, List<String> reasons) {
        for (FaultReach fault : e.faults()) {
            if (fault.error() != null) {
                reasons.add("fault " + fault.label() + " could not be applied: " + fault.error());
                return Verdict.ERROR;
            }
        }
        if (e.lagP99Micros() > MAX_GENERATOR_LAG.toNanos() / 1_000) {
            reasons.add("the load generator fell behind its schedule (p99 lateness " + e.lagP99Micros() / 1_000 + " ms > "
                    + MAX_GENERATOR_LAG.toMillis() + " ms): the measurements cannot be trusted");
            return Verdict.INCONCLUSIVE;
        }
        if (e.planned() > 0 && e.sent() < MIN_SENT_SHARE * e.planned()) {
            reasons.add("the load generator sent " + e.sent() + " of " + e.planned() + " planned requests (< "
                    + Math.round(MIN_SENT_SHARE * 100) + "%): it could not hold the rate");
            return Verdict.INCONCLUSIVE;
        }
        for (FaultReach fault : e.faults()) {
            boolean byCounters = fault.connectionsAffected() != null && fault.connectionsAffected() > 0;
            if (!byCounters && !e.routesFeltIt()) {
                reasons.add("fault " + fault.label() + " did not provably reach traffic"
                        + (fault.connectionsAffected() != null ? " (the fault proxy counted 0 connections through it)" : "")
                        + " and no route changed during the fault phase");
                return Verdict.INCONCLUSIVE;
            }
        }
        List<Check> failed = e.checks().stream().filter(c -> !c.passed()).toList();
        if (failed.isEmpty()) {
            reasons.add("every hypothesis held (" + e.checks().size() + " checks)");
            return Verdict.PASSED;
        }
        failed.forEach(c -> reasons.add(c.hypothesis() + ": " + c.sentence()));
        return Verdict.DEVIATED;
    }
}
