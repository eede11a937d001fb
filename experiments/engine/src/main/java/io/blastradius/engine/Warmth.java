package io.blastradius.engine;

import io.blastradius.experiment.Route;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a replica's JITs have warmed up, judged from the median latency of each route, second by
 * second, under warming traffic. A cold JVM answers several times slower than a warm one and gets
 * faster for tens of seconds; a baseline measured then is slow and noisy, and a hypothesis with a
 * latency bound fails on it for no reason of the experiment's. Warm means: for every route, the last
 * {@value #WINDOW} seconds are no longer clearly faster than the {@value #WINDOW} before them (less than
 * {@code 1 - }{@value #STILL_IMPROVING} better), or already fast in absolute terms; and this machine's CPU
 * was below {@value #BUSY} in each of the last {@value #CPU_WINDOW} seconds (a replica on this machine whose
 * JITs still compile keeps every core busy and its latency on a plateau that is not its own; compilation
 * comes in bursts, so one quiet second proves nothing; where the load is unknown, latency alone decides).
 */
final class Warmth {

    static final int WINDOW = 2;
    /** The recent window must be at least this share of the earlier one: less than 10 % better. */
    static final double STILL_IMPROVING = 0.9;
    /** A route whose median is at most this many milliseconds has nothing left to warm. */
    static final double FAST_MS = 15;

    /** The machine's CPU use must have been below this in each of the last {@value #CPU_WINDOW} seconds. */
    static final double BUSY = 0.85;
    static final int CPU_WINDOW = 5;

    private final Map<Route, List<Double>> medians = new EnumMap<>(Route.class);
    private final List<Double> cpu = new ArrayList<>();

    /** One second's median latency of a route, in milliseconds; a second without answers is skipped. */
    void record(Route route, double medianMs) {
        medians.computeIfAbsent(route, r -> new ArrayList<>()).add(medianMs);
    }

    /** A route that gets no more warming traffic: judged no more. */
    void forget(Route route) {
        medians.remove(route);
    }

    /** The machine's CPU use in the second just recorded, 0 to 1; negative when unknown. */
    void cpu(double load) {
        cpu.add(load);
    }

    boolean warm() {
        return medians.values().stream().allMatch(Warmth::settled) && !busy();
    }

    private boolean busy() {
        List<Double> known = cpu.subList(Math.max(0, cpu.size() - CPU_WINDOW), cpu.size()).stream().filter(c -> c >= 0).toList();
        return !known.isEmpty() && (cpu.size() < CPU_WINDOW || known.stream().anyMatch(c -> c >= BUSY));
    }

    private static boolean settled(List<Double> series) {
        int n = series.size();
        if (n < 2 * WINDOW) {
            return false;
        }
        double recent = mean(series.subList(n - WINDOW, n));
        double before = mean(series.subList(n - 2 * WINDOW, n - WINDOW));
        return recent <= FAST_MS || recent >= STILL_IMPROVING * before;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** In words, for the run's output: each route's latest median, and the machine's CPU when known. */
    String latest() {
        StringBuilder words = new StringBuilder();
        medians.forEach((route, series) -> words.append(words.isEmpty() ? "" : ", ").append(route.wireName()).append(" p50 ")
                .append(Math.round(series.get(series.size() - 1))).append(" ms"));
        if (!cpu.isEmpty() && cpu.get(cpu.size() - 1) >= 0) {
            words.append(words.isEmpty() ? "" : ", ").append("CPU ").append(Math.round(100 * cpu.get(cpu.size() - 1))).append(" %");
        }
        return words.toString();
    }
}
