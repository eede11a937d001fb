package io.blastradius.engine.load;

import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Route;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second's latencies are kept with 16-bit counts, widened rather than wrong when one would overflow, and packed once
 * the second is long over, with nothing lost.
 */
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

    @Test
    void aSecondLongOverIsPackedAndReadsAsItWasBefore() {
        RouteSeries series = RouteSeries.of(Route.APP);
        Histogram all = SecondStats.newHistogram();
        Histogram failures = SecondStats.newHistogram();
        SplittableRandom random = new SplittableRandom(7);
        int seconds = 150;
        Histogram[] before = new Histogram[seconds];
        for (int second = 0; second < seconds; second++) {
            for (int i = 0; i < 300; i++) {
                long micros = 500 + random.nextLong(200_000);
                boolean failed = random.nextInt(50) == 0;
                series.record(second, failed ? Outcome.CONNECTION_ERROR : Outcome.SUCCESS, micros);
                all.recordValue(micros);
                if (failed) {
                    failures.recordValue(micros);
                }
            }
            before[second] = series.second(second).orElseThrow().latency();
        }

        for (int second = 0; second < seconds; second++) {
            SecondStats stats = series.second(second).orElseThrow();
            assertThat(stats.compacted()).as("second %d", second).isEqualTo(second < seconds - RouteSeries.COMPACT_AFTER_SECONDS);
            assertThat(stats.latency()).as("second %d", second).isEqualTo(before[second]);
            assertThat(stats.completed()).isEqualTo(300);
        }
        assertThat(series.latency(0, seconds)).isEqualTo(all);
        assertThat(series.failureLatency(0, seconds)).isEqualTo(failures);
        assertThat(series.latency(0, seconds).getValueAtPercentile(99)).isEqualTo(all.getValueAtPercentile(99));
    }

    @Test
    void aLateAnswerToAPackedSecondIsCountedAndTheSecondPackedAgain() {
        RouteSeries series = RouteSeries.of(Route.API);
        series.record(0, Outcome.SUCCESS, 1_000);
        series.record(RouteSeries.COMPACT_AFTER_SECONDS, Outcome.SUCCESS, 1_000);
        SecondStats first = series.second(0).orElseThrow();
        assertThat(first.compacted()).isTrue();

        first.record(Outcome.TIMEOUT, 30_000_000);
        assertThat(first.compacted()).as("a late answer unpacks it").isFalse();
        assertThat(first.latency().getTotalCount()).isEqualTo(2);
        assertThat(first.failureLatency().getTotalCount()).isEqualTo(1);
        first.compact();
        assertThat(first.latency().getTotalCount()).isEqualTo(2);
        assertThat(first.failureLatency().getMaxValue()).isBetween(29_900_000L, 30_100_000L);
    }

    @Test
    void aPackedSecondTakesAFractionOfItsHistogram() {
        SecondStats second = new SecondStats(0);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            second.record(Outcome.SUCCESS, 1_000 + random.nextLong(100_000));
        }
        long unpacked = second.footprint();
        second.compact();
        assertThat((double) second.footprint() / unpacked).as("%d bytes packed against %d", second.footprint(), unpacked).isLessThan(0.1);
    }
}
