package io.blastradius.engine;

import io.blastradius.experiment.Percentile;
import io.blastradius.experiment.Outcome;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Criterion;
import io.blastradius.experiment.Experiment.AbortGuard;
import io.blastradius.experiment.Quantity;
import io.blastradius.experiment.Route;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether an abort guard holds. A guard holds when its condition held in each of its last {@code for}
 * seconds. An error-rate guard looks at the latest seconds whose requests have (mostly) been answered; a
 * p99 guard also counts requests still waiting, whose latency is at least their age, so that a stall
 * trips it while it lasts. Pure: the series and the time are given.
 */
final class AbortGuards {

    private AbortGuards() {
    }

    /**
     * The first guard that holds, as a failed check, judged on the seconds up to {@code lastSecond};
     * {@code sinceStartNanos} is the time since the load started.
     */
    static Optional<Check> breached(List<AbortGuard> guards, Function<Route, RouteSeries> series, int lastSecond, long sinceStartNanos) {
        for (AbortGuard guard : guards) {
            int needed = (int) Math.max(1, Math.ceil(guard.sustained().toMillis() / 1000.0));
            boolean errorRate = guard.criterion() instanceof Criterion.ErrorRate;
            RouteSeries route = series.apply(guard.route());
            // later looks see more answers: re-judge the recent windows, not only the newest
            for (int end = lastSecond; end >= Math.max(needed - 1, lastSecond - 4); end--) {
                if (errorRate && !mostlyAnswered(route, end)) {
                    continue;
                }
                boolean all = true;
                double last = 0;
                for (int s = end - needed + 1; s <= end && all; s++) {
                    SecondStats second = route.second(s).orElse(null);
                    if (second == null || second.sentCount() == 0 || (errorRate && !mostlyAnswered(route, s))) {
                        all = false;
                        continue;
                    }
                    if (errorRate) {
                        last = 100.0 - 100.0 * second.count(Outcome.SUCCESS) / second.completed();
                    } else {
                        double answered = second.completed() == 0 ? 0 : Evaluation.millis(second.latency(), Percentile.P99);
                        long waiting = second.sentCount() - second.completed();
                        double waitingAtLeast = (sinceStartNanos - (s + 1) * 1_000_000_000L) / 1e6;
                        last = waiting > 0.01 * second.sentCount() ? Math.max(answered, waitingAtLeast) : answered;
                    }
                    all = guard.criterion().bound().holds(last);
                }
                if (all) {
                    return Optional.of(new Check(name(guard), "second " + end, guard.criterion().metric(),
                            "not " + guard.criterion().required() + " for " + needed + " s",
                            String.format(Locale.ROOT, "%.2f", last) + (errorRate ? "%" : " ms") + " for " + needed + " s", false,
                            guard.criterion().requiredValue(), new Quantity(last, guard.criterion().bound().unit())));
                }
            }
        }
        return Optional.empty();
    }

    /** A guard that never fired, as a passed check. */
    static Check neverHeld(AbortGuard guard) {
        return new Check(name(guard), "all", guard.criterion().metric(), "not " + guard.criterion().required()
                + " for " + guard.sustained().toSeconds() + " s", "never held", true, guard.criterion().requiredValue(), null);
    }

    static String name(AbortGuard guard) {
        return "abort-" + guard.route().wireName() + "-" + guard.criterion().metric();
    }

    private static boolean mostlyAnswered(RouteSeries series, int second) {
        return series.second(second)
                .map(s -> s.sentCount() > 0 && s.completed() >= 0.9 * s.sentCount()).orElse(false);
    }
}
