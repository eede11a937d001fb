package io.blastradius.experiment;

import java.util.ArrayList;
import java.util.List;

/**
 * One measurable claim of a hypothesis (or the condition of an abort guard), and how it is judged on
 * what was measured. A closed set: each kind is a record here, with its wire name and its own
 * {@link #evaluate}.
 */
public sealed interface Criterion {

    /** Its key in the experiment file: {@code p99}, {@code success-rate}, {@code recovers-within}, ... */
    String metric();

    /** The bound, with its unit, for people; "only fast 503/429 with a JSON body" for {@code failures}. */
    String required();

    /** The bound as a number with a unit. */
    Quantity requiredValue();

    /** Judges the phase's observations; {@link Observations#completed()} is not 0 unless {@link #judgedWithoutRequests()}. */
    Result evaluate(Observations observed);

    /**
     * The criterion a hypothesis key names, with its value as the file gives it ({@code "p99", "<= 150ms"});
     * the one place where criterion wire names become types. An {@link IllegalArgumentException} for a key
     * or value the schema would refuse.
     */
    static Criterion named(String key, String value) {
        return switch (key) {
            case "success-rate" -> new SuccessRate(Comparison.parse(value));
            case "error-rate" -> new ErrorRate(Comparison.parse(value));
            case "logged-out" -> new LoggedOut(Comparison.parse(value));
            case "failures" -> new GracefulFailures();
            case "recovers-within" -> new RecoversWithin(Comparison.parse("<= " + Quantities.duration(value).toMillis() + "ms"));
            default -> key.endsWith("-vs-baseline")
                    ? new LatencyVsBaseline(percentile(key.substring(0, key.length() - "-vs-baseline".length())), Comparison.parse(value))
                    : new Latency(percentile(key), Comparison.parse(value));
        };
    }

    private static Percentile percentile(String name) {
        return Percentile.fromWireName(name).orElseThrow(() -> new IllegalArgumentException("no criterion named '" + name + "'"));
    }

    /** Whether a phase without completed requests is judged rather than failed ({@code recovers-within}). */
    default boolean judgedWithoutRequests() {
        return false;
    }

    /**
     * Whether the claim is about speed (latency, fast failures, time to recover), which a cold JVM's
     * slowness alone can break: such a claim is judged on a warm replica. Success and error rates are not.
     */
    default boolean aboutSpeed() {
        return true;
    }

    /** What a criterion found: the actual value for people, as a number when there is one, and whether it holds. */
    record Result(String actual, Quantity actualValue, boolean passed) {
    }

    /** A criterion with a {@link Comparison} bound. */
    sealed interface Bounded extends Criterion {
        Comparison bound();

        @Override
        default String required() {
            return bound().describe();
        }

        @Override
        default Quantity requiredValue() {
            return new Quantity(bound().value(), bound().unit());
        }

        /** The result of an actual value in the bound's unit. */
        default Result judge(double actual, String text) {
            return new Result(text, new Quantity(actual, bound().unit()), bound().holds(actual));
        }
    }

    /** {@code success-rate: ">= 99.9%"}: successes among the completed requests. */
    record SuccessRate(Comparison bound) implements Bounded {
        @Override
        public boolean aboutSpeed() {
            return false;
        }

        @Override
        public String metric() {
            return "success-rate";
        }

        @Override
        public Result evaluate(Observations observed) {
            double actual = 100.0 * observed.count(Outcome.SUCCESS) / observed.completed();
            return judge(actual, Comparison.format(actual, Comparison.Unit.PERCENT));
        }
    }

    /** {@code error-rate: "<= 1%"}: every failure kind among the completed requests. */
    record ErrorRate(Comparison bound) implements Bounded {
        @Override
        public boolean aboutSpeed() {
            return false;
        }

        @Override
        public String metric() {
            return "error-rate";
        }

        @Override
        public Result evaluate(Observations observed) {
            double actual = 100.0 - 100.0 * observed.count(Outcome.SUCCESS) / observed.completed();
            return judge(actual, Comparison.format(actual, Comparison.Unit.PERCENT));
        }
    }

    /**
     * {@code logged-out: "<= 1%"}: the share of the completed requests whose session was refused (a JSON 401 on a
     * route that carries one): users who lost their session and must log in again.
     */
    record LoggedOut(Comparison bound) implements Bounded {
        @Override
        public boolean aboutSpeed() {
            return false;
        }

        @Override
        public String metric() {
            return "logged-out";
        }

        @Override
        public Result evaluate(Observations observed) {
            long refused = observed.count(Outcome.LOGGED_OUT);
            double actual = 100.0 * refused / observed.completed();
            return judge(actual, Comparison.format(actual, Comparison.Unit.PERCENT) + " (" + refused + " of " + observed.completed() + ")");
        }
    }

    /** {@code p99: "<= 150ms"} (and p50, p95, max): latency from the intended send time. */
    record Latency(Percentile percentile, Comparison bound) implements Bounded {
        @Override
        public String metric() {
            return percentile.wireName();
        }

        @Override
        public Result evaluate(Observations observed) {
            double actual = observed.latencyMillis(percentile);
            return judge(actual, Comparison.format(actual, Comparison.Unit.MILLISECONDS));
        }
    }

    /** {@code p99-vs-baseline: "<= 1.2x"} (and p50): the phase's latency over the same route's baseline. */
    record LatencyVsBaseline(Percentile percentile, Comparison bound) implements Bounded {
        @Override
        public String metric() {
            return percentile.wireName() + "-vs-baseline";
        }

        @Override
        public Result evaluate(Observations observed) {
            double base = observed.baselineLatencyMillis(percentile);
            if (observed.baselineCompleted() == 0 || base <= 0) {
                return new Result("no baseline to compare with", null, false);
            }
            double now = observed.latencyMillis(percentile);
            double ratio = now / base;
            return judge(ratio, Comparison.format(ratio, Comparison.Unit.RATIO) + " (" + Comparison.format(now, Comparison.Unit.MILLISECONDS)
                    + " vs " + Comparison.format(base, Comparison.Unit.MILLISECONDS) + ")");
        }
    }

    /**
     * {@code failures: graceful}: every failure a fast 503 or 429 with a JSON body; no timeouts, resets, 500s or 504s,
     * and no refused session (a user logged out has not been refused gracefully: judge that share with {@code logged-out}).
     */
    record GracefulFailures() implements Criterion {
        private static final List<Outcome> BAD = List.of(Outcome.HTTP_ERROR, Outcome.TIMEOUT, Outcome.CONNECTION_ERROR, Outcome.LOGGED_OUT);

        @Override
        public String metric() {
            return "failures";
        }

        @Override
        public String required() {
            return "only fast 503/429 with a JSON body";
        }

        /** No failure that is not graceful. */
        @Override
        public Quantity requiredValue() {
            return new Quantity(0, Comparison.Unit.COUNT);
        }

        @Override
        public Result evaluate(Observations observed) {
            List<String> bad = new ArrayList<>();
            long badCount = 0;
            for (Outcome outcome : BAD) {
                long n = observed.count(outcome);
                if (n > 0) {
                    bad.add(n + " " + outcome.describe());
                    badCount += n;
                }
            }
            String actual = bad.isEmpty() ? observed.count(Outcome.GRACEFUL) + " graceful failure(s), nothing else" : String.join(", ", bad);
            return new Result(actual, new Quantity(badCount, Comparison.Unit.COUNT), bad.isEmpty());
        }
    }

    /**
     * {@code recovers-within: 10s}: in recovery, from some second on every second is healthy (at least
     * {@link #HEALTHY_SUCCESS_PERCENT} of its requests succeeded), starting within the bound.
     */
    record RecoversWithin(Comparison bound) implements Bounded {
        /** A second counts as healthy when at least this share of its requests succeeded. */
        public static final double HEALTHY_SUCCESS_PERCENT = 99.0;

        @Override
        public String metric() {
            return "recovers-within";
        }

        @Override
        public boolean judgedWithoutRequests() {
            return true;
        }

        @Override
        public Result evaluate(Observations observed) {
            Integer healthyFrom = null;
            for (Observations.Second second : observed.seconds()) {
                boolean healthy = second.completed() > 0 && 100.0 * second.successes() / second.completed() >= HEALTHY_SUCCESS_PERCENT;
                if (healthy && healthyFrom == null) {
                    healthyFrom = second.sinceStart();
                } else if (!healthy) {
                    healthyFrom = null;
                }
            }
            if (healthyFrom == null) {
                return new Result("not healthy by the end of recovery", null, false);
            }
            double afterMillis = healthyFrom * 1_000.0;
            return judge(afterMillis, "healthy again after " + Comparison.format(afterMillis, Comparison.Unit.MILLISECONDS));
        }
    }
}
