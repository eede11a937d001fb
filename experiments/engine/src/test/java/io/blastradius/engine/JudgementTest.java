package io.blastradius.engine;

import io.blastradius.engine.Judgement.Evidence;
import io.blastradius.engine.Judgement.FaultReach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JudgementTest {

    static final Check HELD = new Check("api-ok", "fault", "p99", "≤ 150 ms", "40 ms", true);
    static final Check FAILED = new Check("api-ok", "fault", "p99", "≤ 150 ms", "412 ms", false);
    static final FaultReach REACHED = new FaultReach("latency on gateway->auth-service", null, 12L);

    final List<String> reasons = new ArrayList<>();

    Verdict judge(List<FaultReach> faults, boolean felt, long lagMicros, long sent, List<Check> checks) {
        return Judgement.judge(new Evidence(faults, felt, lagMicros, 1_000, sent, checks), reasons);
    }

    @Test
    void everyCheckHeldAndTheFaultReachedTrafficIsPassed() {
        assertThat(judge(List.of(REACHED), false, 2_000, 1_000, List.of(HELD))).isEqualTo(Verdict.PASSED);
        assertThat(reasons).containsExactly("every hypothesis held (1 checks)");
    }

    @Test
    void aFailedCheckIsDeviatedWithItsSentence() {
        assertThat(judge(List.of(REACHED), true, 2_000, 1_000, List.of(HELD, FAILED))).isEqualTo(Verdict.DEVIATED);
        assertThat(reasons).containsExactly("api-ok: p99 during fault: required ≤ 150 ms, actual 412 ms");
    }

    @Test
    void aFaultTheProxyCountedNowhereAndNoRouteFeltIsInconclusiveEvenIfChecksHeld() {
        FaultReach missed = new FaultReach("latency on gateway->auth-service", null, 0L);
        assertThat(judge(List.of(missed), false, 2_000, 1_000, List.of(HELD))).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(reasons.get(0)).contains("did not provably reach traffic").contains("counted 0 connections");
    }

    @Test
    void aFaultWithoutCountersIsProvenByTheRoutesItChanged() {
        FaultReach process = new FaultReach("crash of auth-service", null, null);
        assertThat(judge(List.of(process), true, 2_000, 1_000, List.of(HELD))).isEqualTo(Verdict.PASSED);
        reasons.clear();
        assertThat(judge(List.of(process), false, 2_000, 1_000, List.of(HELD))).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void aLateOrShortGeneratorIsInconclusiveNotPassed() {
        assertThat(judge(List.of(REACHED), true, 250_000, 1_000, List.of(HELD))).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(reasons.get(0)).contains("p99 lateness 250 ms > 100 ms");
        reasons.clear();
        assertThat(judge(List.of(REACHED), true, 2_000, 980, List.of(HELD))).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(reasons.get(0)).contains("sent 980 of 1000 planned requests");
    }

    @Test
    void aFaultThatCouldNotBeAppliedIsAnError() {
        FaultReach broken = new FaultReach("down on gateway->auth-service", "proxy not found", null);
        assertThat(judge(List.of(broken), true, 2_000, 1_000, List.of(HELD))).isEqualTo(Verdict.ERROR);
    }
}
