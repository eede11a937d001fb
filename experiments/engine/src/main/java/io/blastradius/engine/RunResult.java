package io.blastradius.engine;

import io.blastradius.engine.load.RouteSeries;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a run produced: the verdict and why, every check, the faults' timeline, the measured
 * series, the seed, the settle step. What the journal and the JUnit report are written from.
 */
public record RunResult(Experiment experiment, String environment, long seed, Instant startedAt, Instant endedAt,
                        Verdict verdict, boolean gatePassed, List<String> reasons, List<Check> checks, List<Check> abortChecks,
                        List<FaultEvent> faults, Map<Phase, PhaseWindow> windows, Map<Route, RouteSeries> series,
                        Map<Integer, Long> generatorLagMicros, long generatorLagP99Micros, List<BreakerChange> breakerChanges,
                        Settle settle) {

    /** One fault as applied: when (seconds into the load), how it was undone, and whether it provably reached traffic. */
    public record FaultEvent(String id, String type, String target, Map<String, Object> parameters, Double appliedAt,
                             Double removedAt, Long connectionsAffected, String error) {
    }

    /**
     * The settle step before the load: how many seconds of warming traffic it took, whether the replica was judged
     * warm (or the warming limit ended it), whether an earlier experiment of the suite had warmed the same processes
     * (then only the breakers were waited for), and each warmed route's p50 and p99 over its last seconds. Null when
     * the run ended before its load began.
     */
    public record Settle(int seconds, boolean warm, boolean warmedEarlier, Map<String, Latency> latency) {
    }

    /** Milliseconds. */
    public record Latency(double p50Ms, double p99Ms) {
    }

    /** A gateway circuit breaker seen in a new state (CLOSED, OPEN, HALF_OPEN, ...) at this second of the load; second 0 holds the first states seen. */
    public record BreakerChange(int second, String name, String state) {
    }
}
