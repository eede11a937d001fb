package io.blastradius.engine.sweep;

import io.blastradius.engine.BlastRadiusMatrix;
import io.blastradius.engine.Evaluation;
import io.blastradius.engine.PhaseWindow;
import io.blastradius.engine.RunResult;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Percentile;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep's results side by side: per cell its values, verdict and gate, and for every route in each
 * judged phase its success rate, p99, p99 against the baseline's and p99 of its failed requests alone, the time to the first breaker OPEN and
 * to recovery; written as {@code sweep.json} (for machines), {@code sweep.csv} (one row per cell, one column
 * per varied key and per figure) and {@code sweep.html} (for people, see {@link SweepHtml}).
 */
public final class SweepResults {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final List<Phase> PHASES = BlastRadiusMatrix.PHASES;

    /**
     * One route in one phase: success rate (percent), p99 (ms), p99 over the baseline's (null without one), and
     * the p99 of the failed requests alone (ms; null when none failed): how fast the route fails, which a
     * breaker or time limiter is there to keep short.
     */
    public record Figures(double successPercent, double p99Ms, Double p99VsBaseline, Double failedP99Ms) {
    }

    /**
     * One cell: its values, its run folder's name, verdict and gate, the checks that failed (in words), the
     * figures by route and phase, the seconds from the first fault's start to the first circuit breaker
     * OPEN (null: none opened), and per route the seconds from the fault's end until every second was ≥ 99 %
     * successful again (null: it did not recover within the recovery phase).
     */
    public record CellResult(int cell, Map<String, String> values, String run, String verdict, boolean gatePassed,
                             List<String> reasons, List<String> failedChecks, Map<String, Map<String, Figures>> routes,
                             Double firstBreakerOpenSeconds, Map<String, Integer> recoverySeconds) {
    }

    /** The whole sweep. */
    public record Sweep(String experiment, List<String> keys, List<CellResult> cells) {
    }

    private SweepResults() {
    }

    /** A cell's figures from its run. */
    public static CellResult of(SweepGrid.Cell cell, RunResult run) {
        Map<String, Map<String, Figures>> routes = new LinkedHashMap<>();
        PhaseWindow baseline = run.windows().get(Phase.BASELINE);
        for (Route route : Route.values()) {
            RouteSeries series = run.series().get(route);
            if (series == null) {
                continue;
            }
            Map<String, Figures> phases = new LinkedHashMap<>();
            for (Phase phase : PHASES) {
                PhaseWindow window = run.windows().get(phase);
                long completed = window == null ? 0 : Evaluation.completed(series, window);
                if (completed > 0) {
                    double p99 = Evaluation.millis(series.latency(window.from(), window.to()), Percentile.P99);
                    double base = baseline == null ? 0 : Evaluation.millis(series.latency(baseline.from(), baseline.to()), Percentile.P99);
                    var failures = series.failureLatency(window.from(), window.to());
                    phases.put(phase.wireName(), new Figures(round(100.0 * Evaluation.count(series, window, Outcome.SUCCESS) / completed),
                            round(p99), base > 0 ? round(p99 / base) : null,
                            failures.getTotalCount() == 0 ? null : round(Evaluation.millis(failures, Percentile.P99))));
                }
            }
            if (!phases.isEmpty()) {
                routes.put(route.wireName(), phases);
            }
        }
        List<String> failed = run.checks().stream().filter(c -> !c.passed()).map(c -> c.hypothesis() + ": " + c.sentence()).toList();
        return new CellResult(cell.index() + 1, cell.values(), run.experiment().metadata().name(), run.verdict().name(), run.gatePassed(),
                run.reasons(), failed, routes, firstBreakerOpen(run), recovery(run));
    }

    /** Seconds from the first fault's start to the first breaker that went OPEN at or after it. */
    static Double firstBreakerOpen(RunResult run) {
        Double start = run.faults().stream().map(RunResult.FaultEvent::appliedAt).filter(java.util.Objects::nonNull).min(Double::compare).orElse(null);
        if (start == null) {
            return null;
        }
        return run.breakerChanges().stream().filter(c -> c.state().equals("OPEN") && c.second() >= Math.floor(start))
                .map(c -> round(Math.max(0, c.second() - start))).min(Double::compare).orElse(null);
    }

    /** Per route: seconds from the start of recovery until every later second of it was at least 99 % successful. */
    static Map<String, Integer> recovery(RunResult run) {
        Map<String, Integer> recovered = new LinkedHashMap<>();
        PhaseWindow window = run.windows().get(Phase.RECOVERY);
        if (window == null) {
            return recovered;
        }
        for (Route route : Route.values()) {
            RouteSeries series = run.series().get(route);
            if (series == null || Evaluation.completed(series, window) == 0) {
                continue;
            }
            Integer from = null;
            for (int second = window.to() - 1; second >= window.from(); second--) {
                var stats = series.second(second);
                boolean good = stats.isEmpty() || stats.get().completed() == 0
                        || stats.get().count(Outcome.SUCCESS) >= 0.99 * stats.get().completed();
                if (!good) {
                    break;
                }
                from = second - window.from();
            }
            recovered.put(route.wireName(), from);
        }
        return recovered;
    }

    /** Writes sweep.json, sweep.csv and sweep.html (compared on {@code metric}) into the sweep's folder. */
    public static void write(Sweep sweep, String metric, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("sweep.json"), JSON.writeValueAsString(sweep), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("sweep.csv"), String.join("\n", csv(sweep)) + "\n", StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("sweep.html"), SweepHtml.render(sweep, metric), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not write the sweep's results to " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * One row per cell: the varied keys, verdict, gate, the first breaker OPEN, then route.phase.success_percent,
     * .p99_ms, .p99_vs_baseline and .failed_p99_ms for every figure any cell has, and each route's recovery time.
     */
    public static List<String> csv(Sweep sweep) {
        List<String> figureColumns = new ArrayList<>();
        for (Route route : Route.values()) {
            for (Phase phase : PHASES) {
                boolean any = sweep.cells().stream().anyMatch(c -> c.routes().getOrDefault(route.wireName(), Map.of()).containsKey(phase.wireName()));
                if (any) {
                    String prefix = route.wireName() + "." + phase.wireName() + ".";
                    figureColumns.addAll(List.of(prefix + "success_percent", prefix + "p99_ms", prefix + "p99_vs_baseline",
                            prefix + "failed_p99_ms"));
                }
            }
        }
        List<String> recoveryRoutes = java.util.Arrays.stream(Route.values()).map(Route::wireName)
                .filter(r -> sweep.cells().stream().anyMatch(c -> c.recoverySeconds().containsKey(r))).toList();
        List<String> header = new ArrayList<>(List.of("cell"));
        header.addAll(sweep.keys());
        header.addAll(List.of("verdict", "gate", "first_breaker_open_s"));
        header.addAll(figureColumns);
        recoveryRoutes.forEach(r -> header.add(r + ".recovered_after_s"));
        List<String> rows = new ArrayList<>(List.of(String.join(",", header.stream().map(SweepResults::field).toList())));
        for (CellResult cell : sweep.cells()) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(cell.cell())));
            sweep.keys().forEach(key -> row.add(field(cell.values().get(key))));
            row.add(cell.verdict());
            row.add(cell.gatePassed() ? "passed" : "failed");
            row.add(cell.firstBreakerOpenSeconds() == null ? "" : number(cell.firstBreakerOpenSeconds()));
            for (String column : figureColumns) {
                String[] parts = column.split("\\.");
                Figures figures = cell.routes().getOrDefault(parts[0], Map.of()).get(parts[1]);
                row.add(figures == null ? "" : switch (parts[2]) {
                    case "success_percent" -> number(figures.successPercent());
                    case "p99_ms" -> number(figures.p99Ms());
                    case "failed_p99_ms" -> figures.failedP99Ms() == null ? "" : number(figures.failedP99Ms());
                    default -> figures.p99VsBaseline() == null ? "" : number(figures.p99VsBaseline());
                });
            }
            recoveryRoutes.forEach(r -> row.add(cell.recoverySeconds().get(r) == null ? "" : Integer.toString(cell.recoverySeconds().get(r))));
            rows.add(String.join(",", row));
        }
        return rows;
    }

    /** A CSV field: quoted when it holds a comma, a quote or a line break. */
    static String field(String text) {
        if (text == null) {
            return "";
        }
        return text.contains(",") || text.contains("\"") || text.contains("\n") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
