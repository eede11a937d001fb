package io.blastradius.experiment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One experiment, loaded and validated: what traffic to send, what to break during the fault phase,
 * what must stay true, and when to stop for safety. Built only by {@link ExperimentLoader}.
 */
public record Experiment(Path source, Metadata metadata, ReplicaSpec replica, List<Traffic> traffic,
                         Map<Phase, Duration> phases, List<FaultSpec> faults, List<Hypothesis> hypotheses,
                         List<AbortGuard> abort, Expectation expect, Long seed) {

    /** Whether a hypothesis or an abort guard claims something about speed (see {@link Criterion#aboutSpeed()}). */
    public boolean judgesSpeed() {
        return hypotheses.stream().flatMap(h -> h.criteria().stream()).anyMatch(Criterion::aboutSpeed)
                || abort.stream().anyMatch(a -> a.criterion().aboutSpeed());
    }

    /** Name, title, description and tags. */
    public record Metadata(String name, String title, String description, List<String> tags) {
    }

    /** The replica to run against: its gateway profile and per-service Spring property overrides. */
    public record ReplicaSpec(String profile, Map<String, Map<String, String>> properties) {
        /** The decoupled profile with no overrides. */
        public static final ReplicaSpec DEFAULT = new ReplicaSpec(ReplicaProfile.DECOUPLED.wireName(), Map.of());
    }

    /**
     * One route's arrival rate (requests per second) in each phase, and for the app route how many users (sessions)
     * its requests come from ({@link #DEFAULT_USERS} when the file does not say).
     */
    public record Traffic(Route route, Map<Phase, Double> ratePerSecond, int users) {
        /** The app route's users when an experiment does not name them. */
        public static final int DEFAULT_USERS = 8;

        public Traffic(Route route, Map<Phase, Double> ratePerSecond) {
            this(route, ratePerSecond, DEFAULT_USERS);
        }

        public double rate(Phase phase) {
            return ratePerSecond.getOrDefault(phase, 0.0);
        }
    }

    /**
     * One fault: its type ({@code latency}, {@code crash}, ...), its target (a hop or a service), its own
     * parameters, when in the fault phase it starts and for how long ({@code null}: to the end), and
     * for network faults the stream and toxicity.
     */
    public record FaultSpec(String type, String target, Map<String, Object> parameters, Duration at, Duration duration,
                            String stream, double toxicity) {

        /** The hop a network fault targets. */
        public Hop hop() {
            return Hop.fromWireName(target);
        }

        /** The service an in-app or process fault targets. */
        public Service service() {
            return Service.fromWireName(target);
        }

        /** What it holds while it lasts, one fault at a time each: see {@link ExperimentLoader#holders}. */
        public List<String> holds() {
            return ExperimentLoader.holders(type, target);
        }
    }

    /** A claim about one route in some phases: every criterion must hold in every phase listed. */
    public record Hypothesis(String name, Route route, List<Phase> during, List<Criterion> criteria) {
    }

    /** Stop the run at once when {@code criterion} (an {@link Criterion.ErrorRate} or a p99 {@link Criterion.Latency}) holds on {@code route} for {@code sustained}. */
    public record AbortGuard(Route route, Criterion.Bounded criterion, Duration sustained) {
    }

    /** What a passing run looks like: hypotheses hold (pass), or one fails (deviation: a negative control). */
    public enum Expectation { PASS, DEVIATION }
}
