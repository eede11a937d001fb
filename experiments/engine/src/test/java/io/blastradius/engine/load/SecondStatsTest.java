package io.blastradius.engine.load;

import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Route;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A second's latencies are kept with 16-bit counts, and widened rather than wrong when one would overflow. */
class SecondStatsTest {

    @Test
    void moreRequestsInOneBucketThanA16BitCountHoldsAreAllCounted() {
        RouteSeries series = RouteSeries.of(Route.API);
        for (int i = 0; i < 40_000; i++) {
            series.record(0, i % 2 == 0 ? Outcome.SUCCESS : Outcome.TIMEOUT, 1_000);
        }
        series.record(0, Outcome.SUCCESS, 5_000);
        SecondStats second = series.second(0).orElseThrow();
        assertThat(second.latency().getTotalCount()).isEqualTo(40_001);
        assertThat(second.latency().getCountAtValue(1_000)).isEqualTo(40_000);
        assertThat(second.latency().getMaxValue()).isBetween(4_995L, 5_005L);
        assertThat(second.failureLatency().getTotalCount()).isEqualTo(20_000);
        assertThat(series.latency(0, 1).getTotalCount()).isEqualTo(40_001);
    }

    @Test
    void aSecondsHistogramTakesAboutAQuarterOfTheMemoryOfA64BitOne() {
        var compact = SecondStats.newCompactHistogram();
        var wide = SecondStats.newHistogram();
        for (long micros : new long[] {1_000, 20_000, 1_500_000, 10_000_000}) {
            compact.recordValue(micros);
            wide.recordValue(micros);
        }
        assertThat((double) compact.getEstimatedFootprintInBytes() / wide.getEstimatedFootprintInBytes()).isLessThan(0.3);
    }
}
