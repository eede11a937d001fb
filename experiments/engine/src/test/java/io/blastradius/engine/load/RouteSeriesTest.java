package io.blastradius.engine.load;

import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Route;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A route's series keeps the latencies of its failed requests apart: how fast the route fails. */
class RouteSeriesTest {

    @Test
    void theFailedRequestsLatencyIsTheirsAloneAndEmptyWithoutFailures() {
        RouteSeries series = RouteSeries.of(Route.LOGIN);
        for (int i = 0; i < 980; i++) {
            series.record(i % 10, Outcome.SUCCESS, 2_000_000);
        }
        for (int i = 0; i < 20; i++) {
            series.record(5 + i % 5, i % 2 == 0 ? Outcome.GRACEFUL : Outcome.TIMEOUT, 40_000);
        }

        assertThat(series.latency(0, 10).getValueAtPercentile(99)).as("all requests: the slow successes").isGreaterThan(1_900_000);
        assertThat(series.failureLatency(0, 10).getTotalCount()).isEqualTo(20);
        assertThat(series.failureLatency(0, 10).getValueAtPercentile(99)).as("the failures alone were fast").isBetween(39_000L, 41_000L);
        assertThat(series.failureLatency(0, 5).getTotalCount()).as("no failure was meant before second 5").isZero();
        assertThat(series.second(7).orElseThrow().failureLatency().getTotalCount()).isEqualTo(4);
    }
}
