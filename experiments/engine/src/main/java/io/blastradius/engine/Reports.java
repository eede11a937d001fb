package io.blastradius.engine;

import io.blastradius.experiment.Percentile;
import io.blastradius.experiment.Outcome;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Route;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a run's {@code journal.json} (everything, for machines) and {@code junit.xml} (one case per check). */
public final class Reports {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Reports() {
    }

    public static void write(RunResult result, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("journal.json"), JSON.writeValueAsString(Journal.of(result)), StandardCharsets.UTF_8);
            JunitXml.write(result, directory.resolve("junit.xml"));
        } catch (IOException e) {
            throw new EngineException("could not write the reports to " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * A suite's {@code summary.md} (for CI step summaries), one {@code junit.xml} for all its experiments
     * and {@code report.html}; {@code wall} is the suite's time from start to end, {@code overhead} where it went
     * outside the phases as far as measured.
     */
    public static void writeSuite(List<RunResult> results, Duration wall, Overhead overhead, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("summary.md"), summary(results) + "\n" + wallTime(results, wall, overhead) + "\n",
                    StandardCharsets.UTF_8);
            JunitXml.write(results, directory.resolve("junit.xml"));
            HtmlReport.write(results, directory);
        } catch (IOException e) {
            throw new EngineException("could not write the suite reports to " + directory + ": " + e.getMessage(), e);
        }
    }

    static String summary(List<RunResult> results) {
        StringBuilder md = new StringBuilder("# Blast Radius\n\n");
        long passed = results.stream().filter(RunResult::gatePassed).count();
        md.append(passed).append(" of ").append(results.size()).append(" experiment(s) passed their gate.\n\n");
        List<String> matrix = BlastRadiusMatrix.markdown(results);
        if (!matrix.isEmpty()) {
            md.append("## Blast radius\n\n").append(results.size() == 1 ? "Each route in each phase" : "Each route in each experiment's fault phase")
                    .append(": unaffected, degraded gracefully (fast 503/429), or failed hard (timeouts, resets, 5xx, users logged out, or p99 past twice"
                            + " its baseline's plus 100 ms).\n\n");
            matrix.forEach(line -> md.append(line).append("\n"));
            md.append("\n## Experiments\n\n");
        }
        md.append("| experiment | expect | verdict | gate | why |\n|---|---|---|---|---|\n");
        for (RunResult r : results) {
            md.append("| ").append(r.experiment().metadata().name()).append(" | ")
                    .append(r.experiment().expect().name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(r.verdict()).append(" | ").append(r.gatePassed() ? "✅ passed" : "❌ failed").append(" | ")
                    .append(String.join("; ", r.reasons()).replace("|", "\\|")).append(" |\n");
        }
        for (RunResult r : results) {
            List<Check> failed = r.checks().stream().filter(c -> !c.passed()).toList();
            if (!failed.isEmpty()) {
                md.append("\n## ").append(r.experiment().metadata().name()).append(": failed checks\n\n");
                failed.forEach(c -> md.append("- ").append(c.hypothesis()).append(": ").append(c.sentence()).append("\n"));
            }
        }
        md.append("\nSeeds: ");
        md.append(String.join(", ", results.stream().map(r -> r.experiment().metadata().name() + " " + r.seed()).toList())).append("\n");
        return md.toString();
    }

    /**
     * How the suite's wall time was spent: inside experiment phases (warmup to recovery, the traffic
     * that is judged) and outside them, split into the parts {@code overhead} measured, largest first (what
     * none of them covers is "other": the CLI's own start, loading the experiments, the gaps between steps).
     */
    public static String wallTime(List<RunResult> results, Duration wall, Overhead overhead) {
        long inside = results.stream().mapToLong(Reports::phaseSeconds).sum();
        long total = Math.max(1, wall.toSeconds());
        long outside = Math.max(0, total - inside);
        String head = String.format(Locale.ROOT, "Wall time: %s for %d experiment(s); %s (%d%%) inside experiment phases, %s (%d%%) outside them",
                clock(total), results.size(), clock(inside), Math.round(100.0 * inside / total), clock(outside),
                Math.round(100.0 * outside / total));
        Map<Overhead.Part, Duration> parts = overhead.parts();
        if (parts.isEmpty()) {
            return head + " (replica start-up, settling, resets, reports).";
        }
        List<String> words = new ArrayList<>();
        parts.entrySet().stream().sorted(Map.Entry.<Overhead.Part, Duration>comparingByValue().reversed())
                .forEach(p -> words.add(p.getKey().words() + " " + tenths(p.getValue())));
        Duration measured = parts.values().stream().reduce(Duration.ZERO, Duration::plus);
        // the phases are counted in whole seconds, the parts to the millisecond: "other" is what is left, if anything
        Duration other = Duration.ofSeconds(outside).minus(measured);
        if (other.toMillis() >= 100) {
            words.add("other " + tenths(other));
        }
        return head + ": " + String.join(", ", words) + ".";
    }

    private static String tenths(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /** The phases' length, or for a run cut short (aborted) the seconds its traffic ran. */
    private static long phaseSeconds(RunResult result) {
        long planned = result.windows().values().stream().mapToLong(PhaseWindow::to).max().orElse(0);
        long ran = result.series().values().stream().flatMap(s -> s.seconds().stream()).mapToLong(s -> s.second() + 1L).max().orElse(0);
        return Math.min(planned, ran);
    }

    private static String clock(long seconds) {
        return seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60) : seconds + " s";
    }

    /** The suite's console table: one line per experiment with its verdict and gate. */
    public static List<String> suiteTable(List<RunResult> results) {
        List<String> lines = new ArrayList<>();
        int width = results.stream().mapToInt(r -> r.experiment().metadata().name().length()).max().orElse(10);
        lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %-9s  %-12s  %s", "experiment", "expect", "verdict", "gate"));
        for (RunResult r : results) {
            lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %-9s  %-12s  %s", r.experiment().metadata().name(),
                    r.experiment().expect().name().toLowerCase(Locale.ROOT), r.verdict(), r.gatePassed() ? "passed" : "FAILED"));
        }
        long passed = results.stream().filter(RunResult::gatePassed).count();
        lines.add(String.format(Locale.ROOT, "  %d of %d experiment(s) passed their gate.", passed, results.size()));
        return lines;
    }

    /** The console table: one line per check, then the verdict. */
    public static List<String> table(RunResult r) {
        List<String> lines = new ArrayList<>();
        for (Check c : r.checks()) {
            lines.add(String.format(Locale.ROOT, "  %s  %-22s %s", c.passed() ? "pass" : "FAIL", c.hypothesis(), c.sentence()));
        }
        for (Check c : r.abortChecks()) {
            if (!c.passed()) {
                lines.add(String.format(Locale.ROOT, "  %s  %-22s %s", "ABORT", c.hypothesis(), c.sentence()));
            }
        }
        return lines;
    }

    /** Per route, the numbers of the last complete second, for progress lines. */
    public static String progress(Map<Route, SecondStats> last) {
        Map<Route, String> parts = new EnumMap<>(Route.class);
        last.forEach((route, s) -> {
            long done = s.completed();
            double errors = done == 0 ? 0 : 100.0 * (done - s.count(Outcome.SUCCESS)) / done;
            parts.put(route, String.format(Locale.ROOT, "%s %d/s p99 %.0fms err %.1f%%", route.wireName(), s.sentCount(),
                    Evaluation.millis(s.latency(), Percentile.P99), errors));
        });
        return String.join(" | ", parts.values());
    }
}
