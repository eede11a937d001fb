package io.blastradius.engine;

import io.blastradius.experiment.Outcome;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.experiment.Comparison;
import io.blastradius.experiment.Quantity;
import io.blastradius.experiment.Criterion;
import io.blastradius.experiment.Experiment.Hypothesis;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Hypotheses judged on series built by hand: no replica, no clock, no sleeping. */
class EvaluationTest {

    final Map<Phase, PhaseWindow> windows = new EnumMap<>(Map.of(
            Phase.WARMUP, new PhaseWindow(Phase.WARMUP, 0, 0),
            Phase.BASELINE, new PhaseWindow(Phase.BASELINE, 0, 10),
            Phase.FAULT, new PhaseWindow(Phase.FAULT, 10, 20),
            Phase.RECOVERY, new PhaseWindow(Phase.RECOVERY, 20, 30)));
    final RouteSeries api = RouteSeries.of(Route.API);
    final RouteSeries login = RouteSeries.of(Route.LOGIN);

    /** {@code count} requests in each second of [from, to), each with this outcome and latency (ms). */
    static void fill(RouteSeries series, int from, int to, int count, Outcome outcome, long millis) {
        for (int s = from; s < to; s++) {
            for (int i = 0; i < count; i++) {
                series.record(s, outcome, millis * 1_000);
            }
        }
    }

    List<Check> judge(Route route, Phase phase, String metric, String bound) {
        Criterion criterion = Criterion.named(metric, bound == null ? "graceful" : bound);
        return new Evaluation(Map.of(Route.API, api, Route.LOGIN, login), windows)
                .checks(List.of(new Hypothesis("h", route, List.of(phase), List.of(criterion))));
    }

    @Test
    void latencyPercentilesAreRequiredVersusActualInMilliseconds() {
        fill(api, 10, 20, 98, Outcome.SUCCESS, 20);
        fill(api, 10, 20, 2, Outcome.SUCCESS, 412);

        Check p99 = judge(Route.API, Phase.FAULT, "p99", "<= 150ms").get(0);
        assertThat(p99.passed()).isFalse();
        assertThat(p99.sentence()).startsWith("p99 during fault: required ≤ 150 ms, actual 412");
        assertThat(p99.requiredValue()).isEqualTo(new Quantity(150, Comparison.Unit.MILLISECONDS));
        assertThat(p99.actualValue().unit()).isEqualTo(Comparison.Unit.MILLISECONDS);
        assertThat(p99.actualValue().value()).isBetween(411.0, 413.0);
        Check p50 = judge(Route.API, Phase.FAULT, "p50", "<= 150ms").get(0);
        assertThat(p50.passed()).isTrue();
        assertThat(p50.actual()).startsWith("20");
    }

    @Test
    void successRateCountsEveryFailureKindAgainstEveryRequest() {
        fill(api, 10, 20, 98, Outcome.SUCCESS, 10);
        fill(api, 10, 20, 1, Outcome.TIMEOUT, 5_000);
        fill(api, 10, 20, 1, Outcome.GRACEFUL, 3);

        Check check = judge(Route.API, Phase.FAULT, "success-rate", ">= 99.9%").get(0);
        assertThat(check.sentence()).isEqualTo("success-rate during fault: required ≥ 99.9%, actual 98%");
        assertThat(check.requiredValue()).isEqualTo(new Quantity(99.9, Comparison.Unit.PERCENT));
        assertThat(check.actualValue()).isEqualTo(new Quantity(98, Comparison.Unit.PERCENT));
        assertThat(check.passed()).isFalse();
        assertThat(judge(Route.API, Phase.FAULT, "error-rate", "<= 2%").get(0).passed()).isTrue();
    }

    @Test
    void loggedOutIsItsOwnShareAndNotAGracefulFailure() {
        fill(api, 10, 20, 97, Outcome.SUCCESS, 10);
        fill(api, 10, 20, 3, Outcome.LOGGED_OUT, 4);

        Check share = judge(Route.API, Phase.FAULT, "logged-out", "<= 1%").get(0);
        assertThat(share.sentence()).isEqualTo("logged-out during fault: required ≤ 1%, actual 3% (30 of 1000)");
        assertThat(share.passed()).isFalse();
        assertThat(judge(Route.API, Phase.FAULT, "logged-out", "<= 5%").get(0).passed()).isTrue();
        Check graceful = judge(Route.API, Phase.FAULT, "failures", null).get(0);
        assertThat(graceful.passed()).isFalse();
        assertThat(graceful.actual()).isEqualTo("30 refused session(s) (logged out)");
        assertThat(judge(Route.API, Phase.FAULT, "error-rate", "<= 3%").get(0).passed()).isTrue();
    }

    @Test
    void aJson401IsLoggedOutOnlyOnARouteThatCarriesASession() {
        assertThat(Outcome.of(401, "application/json", "{\"error\":\"x\"}", Route.APP.carriesSession())).isEqualTo(Outcome.LOGGED_OUT);
        assertThat(Outcome.of(401, "application/json", "{\"error\":\"x\"}", Route.LOGOUT.carriesSession())).isEqualTo(Outcome.LOGGED_OUT);
        assertThat(Outcome.of(401, "application/json", "{\"error\":\"x\"}", Route.API.carriesSession())).isEqualTo(Outcome.HTTP_ERROR);
        assertThat(Outcome.of(401, "text/html", "<html>", true)).isEqualTo(Outcome.HTTP_ERROR);
        assertThat(Outcome.of(503, "application/json", "{}", true)).isEqualTo(Outcome.GRACEFUL);
    }

    @Test
    void ratiosCompareAPhaseWithTheSameRoutesBaseline() {
        fill(api, 0, 10, 100, Outcome.SUCCESS, 10);
        fill(api, 10, 20, 100, Outcome.SUCCESS, 13);

        Check check = judge(Route.API, Phase.FAULT, "p99-vs-baseline", "<= 1.2x").get(0);
        assertThat(check.passed()).isFalse();
        assertThat(check.actual()).startsWith("1.3×");
        assertThat(check.actualValue().unit()).isEqualTo(Comparison.Unit.RATIO);
        assertThat(check.actualValue().value()).isBetween(1.25, 1.35);
        assertThat(judge(Route.API, Phase.FAULT, "p50-vs-baseline", "<= 1.5x").get(0).passed()).isTrue();
    }

    @Test
    void gracefulFailuresAllowOnlyFast503And429WithJson() {
        fill(login, 10, 20, 5, Outcome.GRACEFUL, 5);
        assertThat(judge(Route.LOGIN, Phase.FAULT, "failures", null).get(0).passed()).isTrue();

        fill(login, 15, 16, 2, Outcome.TIMEOUT, 10_000);
        fill(login, 15, 16, 1, Outcome.HTTP_ERROR, 30);
        Check check = judge(Route.LOGIN, Phase.FAULT, "failures", null).get(0);
        assertThat(check.passed()).isFalse();
        assertThat(check.actual()).isEqualTo("1 non-graceful HTTP error(s), 2 timeout(s)");
        assertThat(check.requiredValue()).isEqualTo(new Quantity(0, Comparison.Unit.COUNT));
        assertThat(check.actualValue()).isEqualTo(new Quantity(3, Comparison.Unit.COUNT));
    }

    @Test
    void recoveryIsTheFirstSecondFromWhichTheRouteStaysHealthy() {
        fill(api, 20, 24, 10, Outcome.GRACEFUL, 5);
        fill(api, 24, 30, 10, Outcome.SUCCESS, 5);
        Check recovered = judge(Route.API, Phase.RECOVERY, "recovers-within", "5s").get(0);
        assertThat(recovered.passed()).isTrue();
        assertThat(recovered.actual()).isEqualTo("healthy again after 4000 ms");
        assertThat(recovered.actualValue()).isEqualTo(new Quantity(4000, Comparison.Unit.MILLISECONDS));

        RouteSeries flapping = login;
        fill(flapping, 20, 29, 10, Outcome.SUCCESS, 5);
        fill(flapping, 29, 30, 10, Outcome.GRACEFUL, 5);
        Check never = judge(Route.LOGIN, Phase.RECOVERY, "recovers-within", "5s").get(0);
        assertThat(never.passed()).isFalse();
        assertThat(never.actual()).isEqualTo("not healthy by the end of recovery");
        assertThat(never.actualValue()).as("nothing to measure").isNull();

        Check late = judge(Route.API, Phase.RECOVERY, "recovers-within", "3s").get(0);
        assertThat(late.passed()).as("healthy after 4 s misses a 3 s bound").isFalse();
        assertThat(late.actual()).isEqualTo("healthy again after 4000 ms");
    }

    @Test
    void aPhaseWithoutRequestsFailsItsChecksInsteadOfPassingThem() {
        Check check = judge(Route.API, Phase.FAULT, "p99", "<= 150ms").get(0);
        assertThat(check.passed()).isFalse();
        assertThat(check.actual()).isEqualTo("no requests completed");
    }

    @Test
    void aFaultThatChangedNoRouteIsNotFelt() {
        fill(api, 0, 20, 50, Outcome.SUCCESS, 10);
        assertThat(Runner.routesFeltIt(Map.of(Route.API, api), windows)).isFalse();
        fill(login, 0, 10, 10, Outcome.SUCCESS, 10);
        fill(login, 10, 20, 10, Outcome.GRACEFUL, 3);
        assertThat(Runner.routesFeltIt(Map.of(Route.API, api, Route.LOGIN, login), windows)).isTrue();
    }
}
