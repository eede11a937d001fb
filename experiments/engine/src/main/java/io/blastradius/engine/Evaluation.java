package io.blastradius.engine;

import io.blastradius.engine.load.Outcome;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Comparison;
import io.blastradius.experiment.Experiment.Criterion;
import io.blastradius.experiment.Experiment.Hypothesis;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Judges hypotheses on measured series: every criterion of every hypothesis in every phase it lists
 * becomes one {@link Check}. Pure: the same series always give the same checks.
 */
public final class Evaluation {

    /** A second counts as healthy for {@code recovers-within} when at least this share of its requests succeeded. */
    public static final double HEALTHY_SUCCESS_PERCENT = 99.0;

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
                for (Criterion criterion : hypothesis.criteria()) {
                    checks.add(check(hypothesis, phase, criterion));
                }
            }
        }
        return checks;
    }

    private Check check(Hypothesis h, Phase phase, Criterion c) {
        PhaseWindow window = windows.get(phase);
        RouteSeries route = series.get(h.route());
        long total = completed(route, window);
        String metric = c.metric();
        if (total == 0 && !metric.equals("recovers-within")) {
            return new Check(h.name(), phase.wireName(), metric, required(c), "no requests completed", false);
        }
        return switch (metric) {
            case "success-rate" -> percent(h, phase, c, 100.0 * count(route, window, Outcome.SUCCESS) / total);
            case "error-rate" -> percent(h, phase, c, 100.0 - 100.0 * count(route, window, Outcome.SUCCESS) / total);
            case "p50", "p95", "p99", "max" -> latency(h, phase, c, millis(route.latency(window.from(), window.to()), metric));
            case "p50-vs-baseline", "p99-vs-baseline" -> ratio(h, phase, c, route, window);
            case "failures" -> graceful(h, phase, route, window);
            case "recovers-within" -> recovery(h, phase, c, route, window);
            default -> throw new IllegalStateException("no evaluation for criterion " + metric);
        };
    }

    private Check percent(Hypothesis h, Phase phase, Criterion c, double actual) {
        return new Check(h.name(), phase.wireName(), c.metric(), required(c), Comparison.format(actual, Comparison.Unit.PERCENT),
                c.bound().holds(actual));
    }

    private Check latency(Hypothesis h, Phase phase, Criterion c, double actualMillis) {
        return new Check(h.name(), phase.wireName(), c.metric(), required(c),
                Comparison.format(actualMillis, Comparison.Unit.MILLISECONDS), c.bound().holds(actualMillis));
    }

    private Check ratio(Hypothesis h, Phase phase, Criterion c, RouteSeries route, PhaseWindow window) {
        String percentile = c.metric().substring(0, c.metric().indexOf('-'));
        PhaseWindow baseline = windows.get(Phase.BASELINE);
        double base = millis(route.latency(baseline.from(), baseline.to()), percentile);
        double now = millis(route.latency(window.from(), window.to()), percentile);
        if (completed(route, baseline) == 0 || base <= 0) {
            return new Check(h.name(), phase.wireName(), c.metric(), required(c), "no baseline to compare with", false);
        }
        double ratio = now / base;
        String actual = Comparison.format(ratio, Comparison.Unit.RATIO) + " (" + Comparison.format(now, Comparison.Unit.MILLISECONDS)
                + " vs " + Comparison.format(base, Comparison.Unit.MILLISECONDS) + ")";
        return new Check(h.name(), phase.wireName(), c.metric(), required(c), actual, c.bound().holds(ratio));
    }

    private Check graceful(Hypothesis h, Phase phase, RouteSeries route, PhaseWindow window) {
        Map<Outcome, Long> bad = new EnumMap<>(Outcome.class);
        for (Outcome outcome : List.of(Outcome.HTTP_ERROR, Outcome.TIMEOUT, Outcome.CONNECTION_ERROR)) {
            long n = count(route, window, outcome);
            if (n > 0) {
                bad.put(outcome, n);
            }
        }
        long graceful = count(route, window, Outcome.GRACEFUL);
        String actual = bad.isEmpty() ? graceful + " graceful failure(s), nothing else"
                : String.join(", ", bad.entrySet().stream().map(e -> e.getValue() + " " + describe(e.getKey())).toList());
        return new Check(h.name(), phase.wireName(), "failures", "only fast 503/429 with a JSON body", actual, bad.isEmpty());
    }

    private Check recovery(Hypothesis h, Phase phase, Criterion c, RouteSeries route, PhaseWindow window) {
        List<SecondStats> seconds = route.between(window.from(), window.to());
        Integer healthyFrom = null;
        for (SecondStats second : seconds) {
            boolean healthy = second.completed() > 0
                    && 100.0 * second.count(Outcome.SUCCESS) / second.completed() >= HEALTHY_SUCCESS_PERCENT;
            if (healthy && healthyFrom == null) {
                healthyFrom = second.second();
            } else if (!healthy) {
                healthyFrom = null;
            }
        }
        if (healthyFrom == null) {
            return new Check(h.name(), phase.wireName(), c.metric(), required(c), "not healthy by the end of recovery", false);
        }
        double afterMillis = (healthyFrom - window.from()) * 1_000.0;
        return new Check(h.name(), phase.wireName(), c.metric(), required(c),
                "healthy again after " + Comparison.format(afterMillis, Comparison.Unit.MILLISECONDS), c.bound().holds(afterMillis));
    }

    static String describe(Outcome outcome) {
        return switch (outcome) {
            case HTTP_ERROR -> "non-graceful HTTP error(s)";
            case TIMEOUT -> "timeout(s)";
            case CONNECTION_ERROR -> "connection error(s)";
            case GRACEFUL -> "graceful failure(s)";
            case SUCCESS -> "success(es)";
        };
    }

    private static String required(Criterion c) {
        return c.bound() == null ? "" : c.bound().describe();
    }

    static long completed(RouteSeries route, PhaseWindow window) {
        return sum(route, window, SecondStats::completed);
    }

    static long count(RouteSeries route, PhaseWindow window, Outcome outcome) {
        return sum(route, window, s -> s.count(outcome));
    }

    private static long sum(RouteSeries route, PhaseWindow window, Function<SecondStats, Long> value) {
        return route.between(window.from(), window.to()).stream().mapToLong(value::apply).sum();
    }

    /** A percentile ({@code p50}, {@code p99}, {@code max}) of microsecond latencies, in milliseconds. */
    public static double millis(Histogram histogram, String metric) {
        if (histogram.getTotalCount() == 0) {
            return 0;
        }
        long micros = metric.equals("max") ? histogram.getMaxValue()
                : histogram.getValueAtPercentile(Double.parseDouble(metric.substring(1)));
        return micros / 1_000.0;
    }
}
