package io.blastradius.engine;

import io.blastradius.experiment.Quantity;

/**
 * One judged claim: a hypothesis's criterion in one phase, or an abort guard. A value, never an
 * exception: {@code "p99 during fault: required ≤ 150 ms, actual 412 ms"} for people, and the same
 * required and actual values as numbers with their unit ({@code null} where nothing was measured, e.g.
 * a phase without requests) for a sweep or a console to compare.
 */
public record Check(String hypothesis, String phase, String metric, String required, String actual, boolean passed,
                    Quantity requiredValue, Quantity actualValue) {

    /** A check without numbers, for tests that build reports by hand. */
    public Check(String hypothesis, String phase, String metric, String required, String actual, boolean passed) {
        this(hypothesis, phase, metric, required, actual, passed, null, null);
    }

    public String sentence() {
        return metric + " during " + phase + ": required " + required + ", actual " + actual;
    }
}
