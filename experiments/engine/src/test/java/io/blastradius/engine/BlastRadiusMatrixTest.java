package io.blastradius.engine;

import io.blastradius.engine.BlastRadiusMatrix.Impact;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each impact from series made by hand, and the matrix of a suite and of a run. */
class BlastRadiusMatrixTest {

    static final PhaseWindow BASELINE = new PhaseWindow(Phase.BASELINE, 0, 10);
    static final PhaseWindow FAULT = new PhaseWindow(Phase.FAULT, 10, 20);

    /** Ten seconds of baseline at 20 ms, then ten of fault: {@code bad} requests a second ending as {@code outcome} after {@code millis}. */
    static RouteSeries route(Route route, int bad, Outcome outcome, long millis) {
        RouteSeries series = RouteSeries.of(route);
        for (int s = 0; s < 20; s++) {
            for (int i = 0; i < 100; i++) {
                boolean hit = s >= 10 && i < bad;
                series.record(s, hit ? outcome : Outcome.SUCCESS, (hit ? millis : 20) * 1000);
            }
        }
        return series;
    }

    @Test
    void aRouteTheFaultDidNotReachIsUnaffected() {
        var cell = BlastRadiusMatrix.cell(route(Route.API, 0, Outcome.SUCCESS, 20), FAULT, BASELINE);
        assertThat(cell.impact()).isEqualTo(Impact.UNAFFECTED);
        assertThat(cell.why()).isEqualTo("100.0 % succeeded; p99 20 ms (baseline 20 ms, bound 140 ms)");
    }

    @Test
    void halfAPercentOfFailuresIsNoImpactButMoreIs() {
        // the control: exactly the share allowed, then one more request a second
        assertThat(BlastRadiusMatrix.cell(route(Route.API, 0, Outcome.TIMEOUT, 20), FAULT, BASELINE).impact()).isEqualTo(Impact.UNAFFECTED);
        assertThat(BlastRadiusMatrix.cell(route(Route.API, 1, Outcome.TIMEOUT, 20), FAULT, BASELINE).impact()).isEqualTo(Impact.FAILED);
    }

    @Test
    void fastRefusalsAreAGracefulDegradation() {
        var cell = BlastRadiusMatrix.cell(route(Route.LOGIN, 60, Outcome.GRACEFUL, 5), FAULT, BASELINE);
        assertThat(cell.impact()).isEqualTo(Impact.DEGRADED);
        assertThat(cell.why()).startsWith("60.0 % refused fast (503/429)");
    }

    @Test
    void timeoutsResetsAndOtherErrorsAreAHardFailure() {
        for (Outcome hard : List.of(Outcome.TIMEOUT, Outcome.CONNECTION_ERROR, Outcome.HTTP_ERROR)) {
            var cell = BlastRadiusMatrix.cell(route(Route.LOGIN, 5, hard, 20), FAULT, BASELINE);
            assertThat(cell.impact()).as(hard.name()).isEqualTo(Impact.FAILED);
            assertThat(cell.why()).startsWith("5.0 % timed out, reset or 5xx");
        }
        // hard failures outweigh graceful ones in the same phase
        RouteSeries mixed = route(Route.LOGIN, 50, Outcome.GRACEFUL, 5);
        mixed.record(15, Outcome.TIMEOUT, 2_000_000);
        for (int i = 0; i < 10; i++) {
            mixed.record(16, Outcome.TIMEOUT, 2_000_000);
        }
        assertThat(BlastRadiusMatrix.cell(mixed, FAULT, BASELINE).impact()).isEqualTo(Impact.FAILED);
    }

    @Test
    void successesPastTheLatencyBoundAreAHardFailure() {
        // 2 % of calls take 500 ms: p99 500 ms against a bound of 2 × 20 + 100 ms
        var slow = BlastRadiusMatrix.cell(route(Route.API, 2, Outcome.SUCCESS, 500), FAULT, BASELINE);
        assertThat(slow.impact()).isEqualTo(Impact.FAILED);
        assertThat(slow.why()).contains("past the bound");
        // the control: 120 ms is within it
        assertThat(BlastRadiusMatrix.cell(route(Route.API, 2, Outcome.SUCCESS, 120), FAULT, BASELINE).impact()).isEqualTo(Impact.UNAFFECTED);
    }

    @Test
    void aPhaseWithoutRequestsHasNoTraffic() {
        RouteSeries none = RouteSeries.of(Route.APP);
        assertThat(BlastRadiusMatrix.cell(none, FAULT, BASELINE).impact()).isEqualTo(Impact.IDLE);
    }

    @Test
    void aSuiteIsRoutesByExperimentsAndARunRoutesByPhases() {
        List<RunResult> suite = HtmlReportTest.suite();

        assertThat(BlastRadiusMatrix.markdown(suite)).containsExactly(
                "| route | auth-latency | redis-latency | auth-crash |",
                "|---|---|---|---|",
                "| api | ❌ failed hard | ✅ unaffected | – no traffic |",
                "| login | ❌ failed hard | ❌ failed hard | – no traffic |");
        assertThat(BlastRadiusMatrix.markdown(List.of(suite.get(1)))).containsExactly(
                "| route | baseline | fault | recovery |",
                "|---|---|---|---|",
                "| api | ✅ unaffected | ✅ unaffected | ✅ unaffected |",
                // timeouts for 3 s before the breaker opened, then fast refusals: hard; the series ends the fault at 30 s
                "| login | ✅ unaffected | ❌ failed hard | ✅ unaffected |");
        assertThat(BlastRadiusMatrix.markdown(List.of(suite.get(2)))).as("a run that measured nothing").isEmpty();
        Map<Route, Map<Phase, BlastRadiusMatrix.Cell>> run = BlastRadiusMatrix.of(suite.get(0));
        assertThat(run.get(Route.API).keySet()).as("warmup is not judged").containsExactly(Phase.BASELINE, Phase.FAULT, Phase.RECOVERY);
    }
}
