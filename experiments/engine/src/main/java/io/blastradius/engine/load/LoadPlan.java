package io.blastradius.engine.load;

import io.blastradius.experiment.Route;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What to send when: consecutive windows from the start of the run, each with a rate per route
 * (requests per second). Requests are evenly spaced within a window. App requests come from {@code users}
 * users in turn, each with its own session; {@code seed} drives the jitter of their logins again.
 */
public record LoadPlan(List<Window> windows, int users, long seed) {

    /** From {@code start} to {@code end} after the run's start, these rates. */
    public record Window(Duration start, Duration end, Map<Route, Double> rates) {
        public Window {
            if (end.compareTo(start) < 0) {
                throw new IllegalArgumentException("window end must not be before its start, but was " + start + " .. " + end);
            }
            rates = Map.copyOf(rates);
        }
    }

    public LoadPlan {
        windows = List.copyOf(windows);
        if (users < 1) {
            throw new IllegalArgumentException("a plan needs at least one user, but was " + users);
        }
    }

    /** The default users ({@link io.blastradius.experiment.Experiment.Traffic#DEFAULT_USERS}), seed 0. */
    public LoadPlan(List<Window> windows) {
        this(windows, io.blastradius.experiment.Experiment.Traffic.DEFAULT_USERS, 0);
    }

    public Duration length() {
        return windows.isEmpty() ? Duration.ZERO : windows.get(windows.size() - 1).end();
    }

    /** The window at {@code elapsed}, or null past the end. */
    public Window at(Duration elapsed) {
        for (Window window : windows) {
            if (elapsed.compareTo(window.start()) >= 0 && elapsed.compareTo(window.end()) < 0) {
                return window;
            }
        }
        return null;
    }

    /** How many requests the plan sends on {@code route} in all. */
    public long planned(Route route) {
        double total = 0;
        for (Window window : windows) {
            total += Math.floor(window.rates().getOrDefault(route, 0.0) * (window.end().minus(window.start()).toNanos() / 1e9));
        }
        return (long) total;
    }
}
