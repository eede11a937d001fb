package io.blastradius.experiment;

import java.util.List;

/**
 * What was measured on one route in one phase, as a {@link Criterion} reads it: the engine's series
 * behind a view that names only what criteria judge.
 */
public interface Observations {

    /** Requests of the phase that have an outcome. */
    long completed();

    long count(Outcome outcome);

    /** Latency of the phase's requests, from their intended send time, in milliseconds (0 without requests). */
    double latencyMillis(Percentile percentile);

    /** Requests of the same route's baseline that have an outcome. */
    long baselineCompleted();

    /** Latency of the same route's baseline, in milliseconds. */
    double baselineLatencyMillis(Percentile percentile);

    /** Each second of the phase that had traffic, in order. */
    List<Second> seconds();

    /** One second: how far into the phase, and how its requests ended. */
    record Second(int sinceStart, long completed, long successes) {
    }
}
