package io.blastradius.engine;

/**
 * One judged claim: a hypothesis's criterion in one phase, or an abort guard. A value, never an
 * exception: {@code "p99 during fault: required ≤ 150 ms, actual 412 ms"}.
 */
public record Check(String hypothesis, String phase, String metric, String required, String actual, boolean passed) {

    public String sentence() {
        return metric + " during " + phase + ": required " + required + ", actual " + actual;
    }
}
