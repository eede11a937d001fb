package io.blastradius.engine;

import io.blastradius.experiment.Route;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmthTest {

    final Warmth warmth = new Warmth();

    /** Seconds of 10 answers each, all at the median: too few for the p99 rule, which these tests leave out. */
    void record(Route route, double... medians) {
        for (double median : medians) {
            warmth.record(route, second(10, median, median, 0));
        }
    }

    /** One second: {@code count} answers, {@code tailCount} of them at {@code tailMs}, the others at {@code medianMs}. */
    static Histogram second(int count, double medianMs, double tailMs, int tailCount) {
        Histogram h = new Histogram(3);
        for (int i = 0; i < count; i++) {
            h.recordValue(Math.round((i < tailCount ? tailMs : medianMs) * 1000));
        }
        return h;
    }

    /**
     * Seconds of 50 answers, one of them at each tail given: three seconds hold 150 answers, whose p99 (the
     * 149th) is the middle one of their three tails.
     */
    void recordTail(Route route, double medianMs, double... tails) {
        for (double tail : tails) {
            warmth.record(route, second(50, medianMs, tail, 1));
        }
    }

    @Test
    void aTailStillShrinkingIsNotWarmThoughTheMedianIsLevel() {
        recordTail(Route.API, 20, 400, 300, 250, 120, 90, 80);
        assertThat(warmth.warm()).as("p99 80-120 ms after 250-400 ms").isFalse();
        recordTail(Route.API, 20, 85, 75);
        assertThat(warmth.warm()).as("p99 of the last three seconds, 80, against 120 before: 33 % apart").isFalse();
        recordTail(Route.API, 20, 80);
        assertThat(warmth.warm()).as("80 against 90: within 25 %").isTrue();
        assertThat(warmth.latencies().get("api").p99Ms()).isBetween(79.9, 80.1);
        assertThat(warmth.latencies().get("api").p50Ms()).isBetween(19.9, 20.1);
    }

    @Test
    void aBurstInTheTailIsNotASteadyState() {
        recordTail(Route.API, 20, 30, 30, 30, 30, 30, 30);
        assertThat(warmth.warm()).isTrue();
        warmth.record(Route.API, second(50, 20, 200, 10));
        assertThat(warmth.warm()).as("a second with ten answers at 200 ms").isFalse();
        recordTail(Route.API, 20, 30, 30);
        assertThat(warmth.warm()).as("still in the last three seconds").isFalse();
        recordTail(Route.API, 20, 30, 30, 30);
        assertThat(warmth.warm()).as("out of the recent window, in the earlier: the two disagree").isFalse();
        recordTail(Route.API, 20, 30);
        assertThat(warmth.warm()).as("out of both").isTrue();
    }

    @Test
    void aTailWithinAFewMillisecondsAgreesWhateverTheShare() {
        recordTail(Route.API, 2, 4, 4, 4, 8, 8, 8);
        assertThat(warmth.warm()).as("8 ms against 4 ms: twice, but within 5 ms").isTrue();
    }

    @Test
    void aRouteWithTooFewAnswersForAP99IsJudgedOnItsMedian() {
        for (double tail : new double[] {100, 100, 100, 900, 900, 900}) {
            warmth.record(Route.LOGIN, second(20, 30, tail, 2));
        }
        assertThat(warmth.warm()).as("p99 900 ms after 100 ms, but on 60 answers in three seconds: no p99 rule").isTrue();
        warmth.record(Route.API, second(50, 30, 900, 2));
        for (int i = 0; i < 5; i++) {
            warmth.record(Route.API, second(50, 30, 100, 2));
        }
        assertThat(warmth.warm()).as("the same on 150 answers is judged").isFalse();
    }

    @Test
    void fourSecondsAreNeededBeforeAnythingIsWarm() {
        record(Route.API, 40, 40, 40);
        assertThat(warmth.warm()).isFalse();
        record(Route.API, 40);
        assertThat(warmth.warm()).isTrue();
    }

    @Test
    void aRouteStillGettingFasterIsNotWarmUntilItLevelsOff() {
        record(Route.API, 160, 120, 90, 70);
        assertThat(warmth.warm()).as("70-90 after 120-160: 43 % faster").isFalse();
        record(Route.API, 60, 55);
        assertThat(warmth.warm()).as("55-60 after 70-90: 28 % faster").isFalse();
        record(Route.API, 56, 54);
        assertThat(warmth.warm()).as("54-56 after 55-60: level").isTrue();
        assertThat(warmth.latest()).isEqualTo("api p50 54 ms");
    }

    @Test
    void everyRouteMustBeWarmAndAFastOneAlreadyIs() {
        record(Route.API, 40, 40, 40, 40);
        record(Route.LOGIN, 300, 200, 150, 100);
        assertThat(warmth.warm()).isFalse();
        record(Route.LOGIN, 12, 11);
        assertThat(warmth.warm()).as("11-12 ms is fast whatever came before").isTrue();
    }

    @Test
    void aRouteThatGetsNoMoreTrafficIsJudgedNoMore() {
        record(Route.API, 40, 40, 40, 40);
        record(Route.LOGOUT, 300, 200, 150, 100);
        assertThat(warmth.warm()).as("logout's last seconds were still getting faster").isFalse();
        warmth.forget(Route.LOGOUT);
        assertThat(warmth.warm()).isTrue();
    }

    @Test
    void aSaturatedMachineIsNotWarmWhateverTheLatencySays() {
        record(Route.API, 90, 90, 90, 90);
        cpu(0.99, 0.97);
        assertThat(warmth.warm()).as("a plateau while every core compiles").isFalse();
        cpu(0.40, 0.35, 0.60);
        assertThat(warmth.warm()).as("only three quiet seconds").isFalse();
        cpu(0.50, 0.35);
        assertThat(warmth.warm()).isTrue();
        assertThat(warmth.latest()).isEqualTo("api p50 90 ms, CPU 35 %");
        warmth.cpu(-1);
        assertThat(warmth.warm()).as("a second of unknown load among known ones is not a busy one").isTrue();
    }

    @Test
    void oneQuietSecondBetweenBurstsOfCompilationIsNotEnough() {
        record(Route.API, 90, 90, 90, 90);
        cpu(0.95, 0.70, 0.96, 0.60, 0.97, 0.50);
        assertThat(warmth.warm()).as("the mean of any two seconds here is below 85 percent, yet the JITs are still at work").isFalse();
        cpu(0.60, 0.55, 0.70, 0.65, 0.60);
        assertThat(warmth.warm()).isTrue();
    }

    @Test
    void whereTheLoadIsUnknownLatencyAloneDecides() {
        record(Route.API, 90, 90, 90, 90);
        cpu(-1, -1);
        assertThat(warmth.warm()).isTrue();
    }

    void cpu(double... loads) {
        for (double load : loads) {
            warmth.cpu(load);
        }
    }
}
