package io.blastradius.engine;

import io.blastradius.experiment.Percentile;
import io.blastradius.experiment.Route;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a replica's JITs have warmed up, judged second by second from each route's latency under warming
 * traffic. A cold JVM answers several times slower than a warm one and gets faster for tens of seconds; a
 * baseline measured then is slow and noisy, and a hypothesis with a latency bound fails on it for no reason
 * of the experiment's. Warm means, for every route:
 * <ul>
 *   <li>its median: the last {@value #WINDOW} seconds are no longer clearly faster than the {@value #WINDOW}
 *       before them (less than {@code 1 - }{@value #STILL_IMPROVING} better), or already fast in absolute terms;</li>
 *   <li>its p99, where each window holds at least {@value #P99_MIN_COUNT} answers: the p99 of the last
 *       {@value #P99_WINDOW} seconds agrees with that of the {@value #P99_WINDOW} before them within
 *       {@value #P99_TOLERANCE} of it or {@value #P99_SLACK_MS} ms (a tail still shrinking, or a burst of
 *       compilation, is not a steady state; a route with fewer answers has too few for a p99 and is judged
 *       on its median alone);</li>
 * </ul>
 * and this machine's CPU was below {@value #BUSY} in each of the last {@value #CPU_WINDOW} seconds (a replica on
 * this machine whose JITs still compile keeps every core busy and its latency on a plateau that is not its own;
 * compilation comes in bursts, so one quiet second proves nothing; where the load is unknown, latency alone decides).
 */
final class Warmth {

    static final int WINDOW = 2;
    /** The recent window must be at least this share of the earlier one: less than 10 % better. */
    static final double STILL_IMPROVING = 0.9;
    /** A route whose median is at most this many milliseconds has nothing left to warm. */
    static final double FAST_MS = 15;

    static final int P99_WINDOW = 3;
    static final long P99_MIN_COUNT = 100;
    static final double P99_TOLERANCE = 0.25;
    static final double P99_SLACK_MS = 5;
    /** The seconds the rules look at, at most. */
    static final int KEPT = Math.max(2 * WINDOW, 2 * P99_WINDOW);

    /** The machine's CPU use must have been below this in each of the last {@value #CPU_WINDOW} seconds. */
    static final double BUSY = 0.85;
    static final int CPU_WINDOW = 5;

    private final Map<Route, List<Histogram>> seconds = new EnumMap<>(Route.class);
    private final List<Double> cpu = new ArrayList<>();

    /**
     * One second's latencies of a route (microseconds), kept as given: the caller hands over a histogram of its
     * own ({@code SecondStats.latency()} is a copy already). A second without answers is skipped. Only the
     * seconds the rules look at are kept (a settle step may last minutes).
     */
    void record(Route route, Histogram second) {
        if (second.getTotalCount() > 0) {
            List<Histogram> series = seconds.computeIfAbsent(route, r -> new ArrayList<>());
            series.add(second);
            if (series.size() > KEPT) {
                series.remove(0);
            }
        }
    }

    /** A route that gets no more warming traffic: judged no more. */
    void forget(Route route) {
        seconds.remove(route);
    }

    /** The machine's CPU use in the second just recorded, 0 to 1; negative when unknown. */
    void cpu(double load) {
        cpu.add(load);
    }

    /** Whether it has seconds of any route to judge. */
    boolean judged() {
        return !seconds.isEmpty();
    }

    boolean warm() {
        return seconds.values().stream().allMatch(s -> medianSettled(s) && tailSettled(s)) && !busy();
    }

    private boolean busy() {
        List<Double> known = cpu.subList(Math.max(0, cpu.size() - CPU_WINDOW), cpu.size()).stream().filter(c -> c >= 0).toList();
        return !known.isEmpty() && (cpu.size() < CPU_WINDOW || known.stream().anyMatch(c -> c >= BUSY));
    }

    private static boolean medianSettled(List<Histogram> series) {
        int n = series.size();
        if (n < 2 * WINDOW) {
            return false;
        }
        double recent = meanMedian(series.subList(n - WINDOW, n));
        double before = meanMedian(series.subList(n - 2 * WINDOW, n - WINDOW));
        return recent <= FAST_MS || recent >= STILL_IMPROVING * before;
    }

    private static boolean tailSettled(List<Histogram> series) {
        int n = series.size();
        if (n < 2 * P99_WINDOW) {
            return true;
        }
        Histogram recent = merged(series.subList(n - P99_WINDOW, n));
        Histogram before = merged(series.subList(n - 2 * P99_WINDOW, n - P99_WINDOW));
        if (recent.getTotalCount() < P99_MIN_COUNT || before.getTotalCount() < P99_MIN_COUNT) {
            return true;
        }
        double now = Evaluation.millis(recent, Percentile.P99);
        double earlier = Evaluation.millis(before, Percentile.P99);
        return Math.abs(now - earlier) <= Math.max(P99_TOLERANCE * earlier, P99_SLACK_MS);
    }

    private static double meanMedian(List<Histogram> values) {
        return values.stream().mapToDouble(h -> Evaluation.millis(h, Percentile.P50)).average().orElse(0);
    }

    private static Histogram merged(List<Histogram> values) {
        Histogram all = new Histogram(values.get(0).getNumberOfSignificantValueDigits());
        values.forEach(all::add);
        return all;
    }

    /** Each route's p50 and p99 over its last {@value #P99_WINDOW} seconds, for the journal. */
    Map<String, RunResult.Latency> latencies() {
        Map<String, RunResult.Latency> out = new LinkedHashMap<>();
        seconds.forEach((route, series) -> {
            Histogram last = merged(series.subList(Math.max(0, series.size() - P99_WINDOW), series.size()));
            out.put(route.wireName(), new RunResult.Latency(Evaluation.millis(last, Percentile.P50), Evaluation.millis(last, Percentile.P99)));
        });
        return out;
    }

    /** In words, for the run's output: each route's latest median, and the machine's CPU when known. */
    String latest() {
        StringBuilder words = new StringBuilder();
        seconds.forEach((route, series) -> words.append(words.isEmpty() ? "" : ", ").append(route.wireName()).append(" p50 ")
                .append(Math.round(Evaluation.millis(series.get(series.size() - 1), Percentile.P50))).append(" ms"));
        if (!cpu.isEmpty() && cpu.get(cpu.size() - 1) >= 0) {
            words.append(words.isEmpty() ? "" : ", ").append("CPU ").append(Math.round(100 * cpu.get(cpu.size() - 1))).append(" %");
        }
        return words.toString();
    }
}
