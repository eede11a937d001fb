package io.blastradius.engine.sweep;

import io.blastradius.engine.Runner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a sweep found, in plain words: how many cells passed their gate; of those, the one with the widest
 * margin on the chosen figure; and for each swept fault attribute (a magnitude, in the order its values
 * were given) the breaking point: the first value at which a hypothesis failed, with that check in words.
 */
public final class SweepConclusion {

    /** The figure a sweep is compared on by default: the api's p99 during the fault. */
    public static final String DEFAULT_METRIC = "api.fault.p99";

    private SweepConclusion() {
    }

    /**
     * A figure of a cell by name, {@code ROUTE.PHASE.FIGURE} with FIGURE {@code p99}, {@code success},
     * {@code p99-vs-baseline} or {@code failed-p99} (the p99 of the failed requests alone); empty where the cell
     * has no such figure. An unknown name is an IllegalArgumentException.
     */
    public static Optional<Double> figure(SweepResults.CellResult cell, String metric) {
        String[] parts = metric.split("\\.");
        if (parts.length != 3 || !List.of("p99", "success", "p99-vs-baseline", "failed-p99").contains(parts[2])) {
            throw new IllegalArgumentException("--metric '" + metric + "': expected ROUTE.PHASE.FIGURE, FIGURE one of p99, success,"
                    + " p99-vs-baseline, failed-p99 (e.g. " + DEFAULT_METRIC + ")");
        }
        SweepResults.Figures figures = cell.routes().getOrDefault(parts[0], Map.of()).get(parts[1]);
        if (figures == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (parts[2]) {
            case "p99" -> figures.p99Ms();
            case "success" -> figures.successPercent();
            case "failed-p99" -> figures.failedP99Ms();
            default -> figures.p99VsBaseline();
        });
    }

    /** A metric's name checked before anything runs: an IllegalArgumentException saying the form otherwise. */
    public static void check(String metric) {
        figure(new SweepResults.CellResult(0, Map.of(), "", "", false, List.of(), List.of(), Map.of(), null, Map.of()), metric);
    }

    /** A figure in words: "412 ms", "99.2 %", "1.4×". */
    static String words(String metric, double value) {
        if (metric.endsWith("p99")) {
            return String.format(Locale.ROOT, "%.0f ms", value);
        }
        if (metric.endsWith(".success")) {
            return String.format(Locale.ROOT, "%.1f %%", value);
        }
        return String.format(Locale.ROOT, "%.2f×", value);
    }

    /** The conclusion, one sentence per line. */
    public static List<String> of(SweepResults.Sweep sweep, String metric) {
        List<String> lines = new ArrayList<>();
        List<SweepResults.CellResult> cells = sweep.cells();
        List<SweepResults.CellResult> passed = cells.stream().filter(SweepResults.CellResult::gatePassed).toList();
        lines.add(passed.size() + " of " + cells.size() + " cell(s) passed their gate"
                + (passed.isEmpty() || passed.size() == cells.size() ? "." : ": " + passed.stream()
                .map(c -> "cell " + c.cell() + " (" + label(c) + ")").collect(Collectors.joining("; ")) + "."));
        boolean lowerIsBetter = !metric.endsWith(".success");
        passed.stream().filter(c -> figure(c, metric).isPresent())
                .min(Comparator.comparingDouble(c -> (lowerIsBetter ? 1 : -1) * figure(c, metric).orElseThrow()))
                .ifPresent(best -> lines.add("Widest margin on " + metric + ": cell " + best.cell() + " (" + label(best) + "), "
                        + words(metric, figure(best, metric).orElseThrow()) + "."));
        for (String key : sweep.keys()) {
            if (key.startsWith("faults[")) {
                lines.addAll(breakingPoints(sweep, key));
            }
        }
        return lines;
    }

    /**
     * For one swept fault attribute, per setting of the other keys: the first value (in the order given) at
     * which a hypothesis failed (or an abort guard stopped the run), or that none did; unknown from a cell that
     * judged nothing (an ERROR, or a run stopped by Ctrl-C or SIGTERM).
     */
    static List<String> breakingPoints(SweepResults.Sweep sweep, String key) {
        Map<String, List<SweepResults.CellResult>> groups = new LinkedHashMap<>();
        for (SweepResults.CellResult cell : sweep.cells()) {
            String others = cell.values().entrySet().stream().filter(e -> !e.getKey().equals(key))
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
            groups.computeIfAbsent(others, k -> new ArrayList<>()).add(cell);
        }
        List<String> lines = new ArrayList<>();
        groups.forEach((others, group) -> {
            String with = others.isEmpty() ? "" : " with " + others;
            String previous = null;
            for (SweepResults.CellResult cell : group) {
                String at = cell.values().get(key);
                if (cell.verdict().equals("ERROR") || cell.reasons().contains(Runner.STOPPED_BY_SIGNAL)) {
                    // nothing was judged: the breaking point is not known past the last judged value
                    lines.add("Breaking point of " + key + with + ": unknown; " + (previous == null ? "" : "the hypotheses hold up to "
                            + previous + ", but ") + "at " + at + " the run ended " + cell.verdict() + " (" + String.join("; ", cell.reasons()) + ").");
                    return;
                }
                if (!cell.failedChecks().isEmpty() || cell.verdict().equals("ABORTED")) {
                    String why = cell.failedChecks().isEmpty() ? "the run ended " + cell.verdict() + (cell.reasons().isEmpty() ? ""
                            : " (" + cell.reasons().get(0) + ")") : cell.failedChecks().get(0);
                    lines.add("Breaking point of " + key + with + ": " + (previous == null ? "already at the first value, "
                            : "the hypotheses hold up to " + previous + "; at ") + at + ", " + why + ".");
                    return;
                }
                previous = at;
            }
            lines.add("Breaking point of " + key + with + ": none; every hypothesis held up to " + previous + ".");
        });
        return lines;
    }

    private static String label(SweepResults.CellResult cell) {
        return cell.values().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
