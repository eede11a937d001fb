package io.blastradius.engine;

import io.blastradius.engine.load.RouteSeries;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Criterion;
import io.blastradius.experiment.Experiment.Hypothesis;
import io.blastradius.experiment.Observations;
import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Percentile;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Judges hypotheses on measured series: every criterion of every hypothesis in every phase it lists
 * becomes one {@link Check}, by the criterion's own {@link Criterion#evaluate} on the phase's
 * {@link Observations}. Pure: the same series always give the same checks.
 */
public final class Evaluation {

    private final Map<Route, RouteSeries> series;
    private final Map<Phase, PhaseWindow> windows;

    public Evaluation(Map<Route, RouteSeries> series, Map<Phase, PhaseWindow> windows) {
        this.series = series;
        this.windows = windows;
    }

    public List<Check> checks(List<Hypothesis> hypotheses) {
        List<Check> checks = new ArrayList<>();
        for (Hypothesis hypothesis : hypotheses) {
            for (Phase phase : hypothesis.during()) {
                Observations observed = new PhaseObservations(series.get(hypothesis.route()), windows.get(phase), windows.get(Phase.BASELINE));
                for (Criterion criterion : hypothesis.criteria()) {
                    checks.add(check(hypothesis, phase, criterion, observed));
                }
            }
        }
        return checks;
    }

    private static Check check(Hypothesis h, Phase phase, Criterion c, Observations observed) {
        Criterion.Result result = observed.completed() == 0 && !c.judgedWithoutRequests()
                ? new Criterion.Result("no requests completed", null, false)
                : c.evaluate(observed);
        return new Check(h.name(), phase.wireName(), c.metric(), c.required(), result.actual(), result.passed(),
                c.requiredValue(), result.actualValue());
    }

    /** One route in one phase, with its baseline, from the series. */
    private record PhaseObservations(RouteSeries route, PhaseWindow window, PhaseWindow baseline) implements Observations {
        @Override
        public long completed() {
            return Evaluation.completed(route, window);
        }

        @Override
        public long count(Outcome outcome) {
            return Evaluation.count(route, window, outcome);
        }

        @Override
        public double latencyMillis(Percentile percentile) {
            return millis(route.latency(window.from(), window.to()), percentile);
        }

        @Override
        public long baselineCompleted() {
            return Evaluation.completed(route, baseline);
        }

        @Override
        public double baselineLatencyMillis(Percentile percentile) {
            return millis(route.latency(baseline.from(), baseline.to()), percentile);
        }

        @Override
        public List<Second> seconds() {
            return route.between(window.from(), window.to()).stream()
                    .map(s -> new Second(s.second() - window.from(), s.completed(), s.count(Outcome.SUCCESS))).toList();
        }
    }

    public static long completed(RouteSeries route, PhaseWindow window) {
        return sum(route, window, SecondStats::completed);
    }

    public static long count(RouteSeries route, PhaseWindow window, Outcome outcome) {
        return sum(route, window, s -> s.count(outcome));
    }

    private static long sum(RouteSeries route, PhaseWindow window, Function<SecondStats, Long> value) {
        return route.between(window.from(), window.to()).stream().mapToLong(value::apply).sum();
    }

    /** A percentile of microsecond latencies, in milliseconds; 0 without any. */
    public static double millis(Histogram histogram, Percentile percentile) {
        if (histogram.getTotalCount() == 0) {
            return 0;
        }
        long micros = percentile == Percentile.MAX ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile.percent());
        return micros / 1_000.0;
    }
}
