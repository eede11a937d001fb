package io.blastradius.engine;

import io.blastradius.experiment.Route;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmthTest {

    final Warmth warmth = new Warmth();

    void record(Route route, double... medians) {
        for (double median : medians) {
            warmth.record(route, median);
        }
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
