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
    void aSaturatedMachineIsNotWarmWhateverTheLatencySays() {
        record(Route.API, 90, 90, 90, 90);
        warmth.cpu(0.99);
        warmth.cpu(0.97);
        assertThat(warmth.warm()).as("a plateau while every core compiles").isFalse();
        warmth.cpu(0.40);
        warmth.cpu(0.35);
        assertThat(warmth.warm()).isTrue();
        assertThat(warmth.latest()).isEqualTo("api p50 90 ms, CPU 35 %");
        warmth.cpu(-1);
        assertThat(warmth.warm()).as("unknown load: latency decides").isTrue();
    }
}
