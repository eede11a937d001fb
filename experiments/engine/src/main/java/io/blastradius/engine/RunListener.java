package io.blastradius.engine;

import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;

import java.util.Map;

/** Hears a run as it goes; every method does nothing unless overridden. */
public interface RunListener {

    default void phase(Phase phase, int second) {
    }

    /** Once a second: the last complete second of each route with traffic. */
    default void second(int second, Phase phase, Map<Route, SecondStats> last) {
    }

    default void fault(String event) {
    }

    /**
     * The replica is ready to be measured after {@code seconds} of warming traffic: {@code warm} unless
     * it was still getting faster when warming gave up; {@code latest} each route's last median, in words.
     */
    default void settled(int seconds, boolean warm, String latest) {
    }
}
