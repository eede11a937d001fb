package io.blastradius.engine;

import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;

import java.util.List;
import java.util.Map;

/**
 * Hears a run as it goes, the one stream of events that the terminal's progress, the console's live page
 * and any other watcher take; every method does nothing unless overridden. Called on the run's thread,
 * except {@link #breaker}, which comes from the thread that reads the breakers: keep each one quick.
 */
public interface RunListener {

    /** A run begins (before the settle step): what it will do, and its seed. */
    default void started(Experiment experiment, long seed) {
    }

    default void phase(Phase phase, int second) {
    }

    /** Once a second: the last complete second of each route with traffic. */
    default void second(int second, Phase phase, Map<Route, SecondStats> last) {
    }

    default void fault(String event) {
    }

    /** A circuit breaker was first seen in, or moved to, {@code state} (CLOSED, OPEN, HALF_OPEN ...). */
    default void breaker(int second, String name, String state) {
    }

    /**
     * The hypotheses whose phases have all ended, judged on what has come back so far (requests of the last
     * second may still be in flight: the run's final judgement is in {@link #ended}).
     */
    default void judged(int second, List<Check> checks) {
    }

    /** Every fault still in place when the run stopped (at its end, on an abort, on a signal) has been undone. */
    default void rolledBack(int undone) {
    }

    /** The run's result, before its reports are written. */
    default void ended(RunResult result) {
    }

    /**
     * The replica is ready to be measured after {@code seconds} of warming traffic: {@code warm} unless
     * it was still getting faster when warming gave up; {@code latest} each route's last median, in words.
     */
    default void settled(int seconds, boolean warm, String latest) {
    }

    /** Several listeners as one, each told every event in the order given. */
    static RunListener all(List<RunListener> listeners) {
        List<RunListener> each = List.copyOf(listeners);
        return new RunListener() {
            @Override
            public void started(Experiment experiment, long seed) {
                each.forEach(l -> l.started(experiment, seed));
            }

            @Override
            public void phase(Phase phase, int second) {
                each.forEach(l -> l.phase(phase, second));
            }

            @Override
            public void second(int second, Phase phase, Map<Route, SecondStats> last) {
                each.forEach(l -> l.second(second, phase, last));
            }

            @Override
            public void fault(String event) {
                each.forEach(l -> l.fault(event));
            }

            @Override
            public void breaker(int second, String name, String state) {
                each.forEach(l -> l.breaker(second, name, state));
            }

            @Override
            public void judged(int second, List<Check> checks) {
                each.forEach(l -> l.judged(second, checks));
            }

            @Override
            public void rolledBack(int undone) {
                each.forEach(l -> l.rolledBack(undone));
            }

            @Override
            public void ended(RunResult result) {
                each.forEach(l -> l.ended(result));
            }

            @Override
            public void settled(int seconds, boolean warm, String latest) {
                each.forEach(l -> l.settled(seconds, warm, latest));
            }
        };
    }
}
