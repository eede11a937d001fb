package io.blastradius.engine;

import io.blastradius.engine.load.RouteSeries;
import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Percentile;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The blast-radius matrix: which routes a fault reached and how, the picture this project exists to
 * show. Per route and phase, from the per-second series and whatever the hypotheses say:
 * <ul>
 *   <li><b>unaffected</b>: no more than {@link #SHARE} of its requests failed, and its p99 stayed within the
 *       {@linkplain #bound bound} of its baseline;</li>
 *   <li><b>degraded gracefully</b>: more failed than that, but only as designed (fast 503/429 with a JSON
 *       body), and within the bound;</li>
 *   <li><b>failed hard</b>: more than {@link #SHARE} timeouts, resets or other 5xx, or its p99 past the bound.</li>
 * </ul>
 * A suite's matrix is routes × experiments (each experiment's fault phase); one run's is routes × phases.
 */
public final class BlastRadiusMatrix {

    /** How a route fared in a phase. */
    public enum Impact {
        UNAFFECTED("unaffected", "✅"),
        DEGRADED("degraded gracefully", "🟡"),
        FAILED("failed hard", "❌"),
        IDLE("no traffic", "–");

        private final String words;
        private final String mark;

        Impact(String words, String mark) {
            this.words = words;
            this.mark = mark;
        }

        public String words() {
            return words;
        }

        public String mark() {
            return mark;
        }

        /** Its CSS class in report.html. */
        String css() {
            return "impact-" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** One cell: the impact and the figures that decided it, in words. */
    public record Cell(Impact impact, String why) {
    }

    /** The share of a phase's requests that may fail without the route counting as affected. */
    static final double SHARE = 0.005;
    /** Added to twice the baseline p99 for the bound: a few milliseconds of noise on a fast route are no impact. */
    static final double SLACK_MILLIS = 100;

    private BlastRadiusMatrix() {
    }

    /** The most a phase's p99 may reach: twice the baseline's, plus {@link #SLACK_MILLIS}. */
    static double bound(double baselineP99) {
        return 2 * baselineP99 + SLACK_MILLIS;
    }

    /** One route in one phase, judged against its baseline phase. */
    static Cell cell(RouteSeries route, PhaseWindow phase, PhaseWindow baseline) {
        long completed = Evaluation.completed(route, phase);
        if (completed == 0) {
            return new Cell(Impact.IDLE, "no request completed");
        }
        long hard = Evaluation.count(route, phase, Outcome.TIMEOUT) + Evaluation.count(route, phase, Outcome.CONNECTION_ERROR)
                + Evaluation.count(route, phase, Outcome.HTTP_ERROR);
        long graceful = Evaluation.count(route, phase, Outcome.GRACEFUL);
        double p99 = Evaluation.millis(route.latency(phase.from(), phase.to()), Percentile.P99);
        double baselineP99 = baseline == null ? p99 : Evaluation.millis(route.latency(baseline.from(), baseline.to()), Percentile.P99);
        double bound = bound(baselineP99);
        String latency = String.format(Locale.ROOT, "p99 %.0f ms (baseline %.0f ms, bound %.0f ms)", p99, baselineP99, bound);
        if ((double) hard / completed > SHARE) {
            return new Cell(Impact.FAILED, percent(hard, completed) + " timed out, reset or 5xx; " + latency);
        }
        long loggedOut = Evaluation.count(route, phase, Outcome.LOGGED_OUT);
        if ((double) loggedOut / completed > SHARE) {
            return new Cell(Impact.FAILED, percent(loggedOut, completed) + " logged out (session refused); " + latency);
        }
        if (p99 > bound) {
            return new Cell(Impact.FAILED, latency + ", past the bound");
        }
        if ((double) graceful / completed > SHARE) {
            return new Cell(Impact.DEGRADED, percent(graceful, completed) + " refused fast (503/429); " + latency);
        }
        return new Cell(Impact.UNAFFECTED, percent(completed - hard - graceful - loggedOut, completed) + " succeeded; " + latency);
    }

    /** The phases a matrix shows: the judged ones (warmup runs on cold JITs, and nothing judges it). */
    public static final List<Phase> PHASES = List.of(Phase.BASELINE, Phase.FAULT, Phase.RECOVERY);

    /** One run: each route that had traffic × each judged phase, in phase order. */
    public static Map<Route, Map<Phase, Cell>> of(RunResult result) {
        Map<Route, Map<Phase, Cell>> matrix = new EnumMap<>(Route.class);
        PhaseWindow baseline = result.windows().get(Phase.BASELINE);
        for (Route route : Route.values()) {
            RouteSeries series = result.series().get(route);
            if (series == null || result.windows().values().stream().allMatch(w -> Evaluation.completed(series, w) == 0)) {
                continue;
            }
            Map<Phase, Cell> row = new EnumMap<>(Phase.class);
            for (Phase phase : PHASES) {
                PhaseWindow window = result.windows().get(phase);
                if (window != null) {
                    row.put(phase, cell(series, window, baseline));
                }
            }
            matrix.put(route, row);
        }
        return matrix;
    }

    /** A suite: each route × each experiment's fault phase (routes an experiment did not load: no traffic). */
    static Map<Route, Map<String, Cell>> ofSuite(List<RunResult> results, List<String> names) {
        Map<Route, Map<String, Cell>> matrix = new EnumMap<>(Route.class);
        List<Map<Route, Map<Phase, Cell>>> runs = results.stream().map(BlastRadiusMatrix::of).toList();
        runs.forEach(run -> run.keySet().forEach(route -> matrix.computeIfAbsent(route, r -> new LinkedHashMap<>())));
        for (Map.Entry<Route, Map<String, Cell>> row : matrix.entrySet()) {
            for (int i = 0; i < results.size(); i++) {
                Cell cell = runs.get(i).getOrDefault(row.getKey(), Map.of()).get(Phase.FAULT);
                row.getValue().put(names.get(i), cell == null ? new Cell(Impact.IDLE, "not loaded, or no fault phase") : cell);
            }
        }
        return matrix;
    }

    /** A matrix laid out: its column heads (experiments or phases) and a row of cells per route. */
    record Table(List<String> columns, Map<Route, List<Cell>> rows) {
    }

    /** Routes × experiments for a suite, routes × phases for a single run; no rows without traffic. */
    static Table table(List<RunResult> results) {
        Map<Route, List<Cell>> rows = new EnumMap<>(Route.class);
        if (results.size() == 1) {
            return table(results.get(0));
        }
        List<String> columns = results.stream().map(r -> r.experiment().metadata().name()).toList();
        ofSuite(results, columns).forEach((route, cells) -> rows.put(route, new ArrayList<>(cells.values())));
        return new Table(columns, rows);
    }

    /** One run: routes × its judged phases. */
    static Table table(RunResult run) {
        Map<Route, List<Cell>> rows = new EnumMap<>(Route.class);
        of(run).forEach((route, cells) -> rows.put(route, new ArrayList<>(cells.values())));
        return new Table(PHASES.stream().filter(run.windows()::containsKey).map(Phase::wireName).toList(), rows);
    }

    /** The matrix in Markdown; nothing when no route had traffic. */
    static List<String> markdown(List<RunResult> results) {
        List<String> lines = new ArrayList<>();
        Table table = table(results);
        if (table.rows().isEmpty()) {
            return lines;
        }
        lines.add("| route | " + String.join(" | ", table.columns()) + " |");
        lines.add("|---" + "|---".repeat(table.columns().size()) + "|");
        table.rows().forEach((route, cells) -> lines.add("| " + route.wireName() + " | "
                + String.join(" | ", cells.stream().map(c -> c.impact().mark() + " " + c.impact().words()).toList()) + " |"));
        return lines;
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
    }
}
