package io.blastradius.engine.load;

import io.blastradius.experiment.Route;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What to send when: consecutive windows from the start of the run, each with a rate per route
 * (requests per second). Requests are evenly spaced within a window.
 */
public record LoadPlan(List<Window> windows) {

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
