package io.blastradius.engine.load;

import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Route;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One route's per-second statistics for a whole run, by the second each request was meant to be sent. */
public final class RouteSeries {

    /** How long after its own second a second's latencies are packed ({@link SecondStats#compact()}): past most answers. */
    static final int COMPACT_AFTER_SECONDS = 60;

    private final Route route;
    private final ConcurrentHashMap<Integer, SecondStats> seconds = new ConcurrentHashMap<>();

    RouteSeries(Route route) {
        this.route = route;
    }

    public Route route() {
        return route;
    }

    /** Records one request intended in {@code second}: for replaying a journal and for tests. */
    public void record(int second, Outcome outcome, long latencyMicros) {
        SecondStats stats = at(second);
        stats.sent();
        stats.record(outcome, latencyMicros);
    }

    public static RouteSeries of(Route route) {
        return new RouteSeries(route);
    }

    SecondStats at(int second) {
        SecondStats stats = seconds.get(second);
        if (stats == null) {
            stats = seconds.computeIfAbsent(second, SecondStats::new);
            // a second begun: one long over has been answered (a late answer unpacks it again)
            SecondStats over = seconds.get(second - COMPACT_AFTER_SECONDS);
            if (over != null) {
                over.compact();
            }
        }
        return stats;
    }

    /** One second's statistics, if any request was meant to go then. */
    public Optional<SecondStats> second(int second) {
        return Optional.ofNullable(seconds.get(second));
    }

    /** Every second that had traffic, in order. */
    public List<SecondStats> seconds() {
        List<SecondStats> all = new ArrayList<>(seconds.values());
        all.sort((a, b) -> Integer.compare(a.second(), b.second()));
        return all;
    }

    /** The seconds in {@code [from, to)}. */
    public List<SecondStats> between(int from, int to) {
        return seconds().stream().filter(s -> s.second() >= from && s.second() < to).toList();
    }

    /** Latencies of every request intended in {@code [from, to)}. */
    public Histogram latency(int from, int to) {
        Histogram all = SecondStats.newHistogram();
        between(from, to).forEach(s -> all.add(s.latency()));
        return all;
    }

    /** Latencies of the requests intended in {@code [from, to)} that did not succeed: how fast they failed. */
    public Histogram failureLatency(int from, int to) {
        Histogram all = SecondStats.newHistogram();
        between(from, to).forEach(s -> all.add(s.failureLatency()));
        return all;
    }
}
