package io.blastradius.engine;

import io.blastradius.experiment.Percentile;
import io.blastradius.experiment.Outcome;
import io.blastradius.engine.load.RouteSeries;
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
import java.util.LinkedHashMap;
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
            Files.writeString(directory.resolve("journal.json"), JSON.writeValueAsString(journal(result)), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("junit.xml"), junit(result), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException("could not write the reports to " + directory + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Object> journal(RunResult r) {
        Map<String, Object> j = new LinkedHashMap<>();
        Map<String, Object> experiment = new LinkedHashMap<>();
        experiment.put("name", r.experiment().metadata().name());
        experiment.put("title", r.experiment().metadata().title());
        experiment.put("file", r.experiment().source().toString());
        experiment.put("expect", r.experiment().expect().name().toLowerCase(Locale.ROOT));
        experiment.put("profile", r.experiment().replica().profile());
        j.put("experiment", experiment);
        j.put("environment", r.environment());
        j.put("seed", r.seed());
        j.put("startedAt", r.startedAt().toString());
        j.put("endedAt", r.endedAt().toString());
        j.put("verdict", r.verdict().name());
        j.put("gatePassed", r.gatePassed());
        j.put("reasons", r.reasons());
        Map<String, Object> phases = new LinkedHashMap<>();
        r.windows().forEach((phase, w) -> phases.put(phase.wireName(), Map.of("fromSecond", w.from(), "toSecond", w.to())));
        j.put("phases", phases);
        j.put("faults", r.faults());
        j.put("hypotheses", r.checks());
        j.put("abortGuards", r.abortChecks());
        j.put("circuitBreakers", r.breakerChanges());
        Map<String, Object> series = new LinkedHashMap<>();
        r.series().forEach((route, s) -> series.put(route.wireName(), seconds(s)));
        j.put("series", series);
        Map<String, Object> generator = new LinkedHashMap<>();
        generator.put("lagP99Micros", r.generatorLagP99Micros());
        generator.put("worstLagMicrosBySecond", r.generatorLagMicros());
        j.put("generator", generator);
        return j;
    }

    private static List<Map<String, Object>> seconds(RouteSeries series) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SecondStats s : series.seconds()) {
            Map<String, Object> second = new LinkedHashMap<>();
            second.put("second", s.second());
            second.put("sent", s.sentCount());
            Map<String, Long> outcomes = new LinkedHashMap<>();
            for (Outcome o : Outcome.values()) {
                if (s.count(o) > 0) {
                    outcomes.put(o.name().toLowerCase(Locale.ROOT), s.count(o));
                }
            }
            second.put("outcomes", outcomes);
            var latency = s.latency();
            second.put("p50Ms", Evaluation.millis(latency, Percentile.P50));
            second.put("p99Ms", Evaluation.millis(latency, Percentile.P99));
            second.put("maxMs", Evaluation.millis(latency, Percentile.MAX));
            out.add(second);
        }
        return out;
    }

    /**
     * A suite's {@code summary.md} (for CI step summaries), one {@code junit.xml} for all its experiments
     * and {@code report.html}; {@code wall} is the suite's time from start to end.
     */
    public static void writeSuite(List<RunResult> results, Duration wall, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("summary.md"), summary(results) + "\n" + wallTime(results, wall) + "\n",
                    StandardCharsets.UTF_8);
            StringBuilder suites = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"blastradius\">\n");
            for (RunResult result : results) {
                String one = junit(result);
                suites.append(one.substring(one.indexOf("<testsuite ")));
            }
            suites.append("</testsuites>\n");
            Files.writeString(directory.resolve("junit.xml"), suites.toString(), StandardCharsets.UTF_8);
            HtmlReport.write(results, directory);
        } catch (IOException e) {
            throw new EngineException("could not write the suite reports to " + directory + ": " + e.getMessage(), e);
        }
    }

    static String summary(List<RunResult> results) {
        StringBuilder md = new StringBuilder("# Blast Radius\n\n");
        long passed = results.stream().filter(RunResult::gatePassed).count();
        md.append(passed).append(" of ").append(results.size()).append(" experiment(s) passed their gate.\n\n");
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

    static String junit(RunResult r) {
        List<Check> all = new ArrayList<>(r.checks());
        all.addAll(r.abortChecks());
        long failures = all.stream().filter(c -> !c.passed()).count();
        String suite = r.experiment().metadata().name();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuite name=\"").append(esc(suite)).append("\" tests=\"").append(all.size() + 1)
                .append("\" failures=\"").append(failures + (r.gatePassed() ? 0 : 1)).append("\" errors=\"0\" timestamp=\"")
                .append(r.startedAt()).append("\">\n");
        x.append("  <properties>\n    <property name=\"seed\" value=\"").append(r.seed()).append("\"/>\n")
                .append("    <property name=\"verdict\" value=\"").append(r.verdict()).append("\"/>\n")
                .append("    <property name=\"expect\" value=\"").append(r.experiment().expect().name().toLowerCase(Locale.ROOT)).append("\"/>\n")
                .append("  </properties>\n");
        for (Check c : all) {
            x.append("  <testcase classname=\"").append(esc(suite)).append("\" name=\"").append(esc(c.hypothesis() + " [" + c.phase() + "] " + c.metric()))
                    .append("\">");
            if (!c.passed()) {
                x.append("\n    <failure message=\"").append(esc(c.sentence())).append("\">").append(esc(c.sentence())).append("</failure>\n  ");
            }
            x.append("</testcase>\n");
        }
        x.append("  <testcase classname=\"").append(esc(suite)).append("\" name=\"verdict\">");
        if (!r.gatePassed()) {
            String why = r.verdict() + ": " + String.join("; ", r.reasons());
            x.append("\n    <failure message=\"").append(esc(why)).append("\">").append(esc(why)).append("</failure>\n  ");
        }
        x.append("</testcase>\n</testsuite>\n");
        return x.toString();
    }

    private static String esc(String text) {
        return HtmlReport.esc(text);
    }

    /**
     * How the suite's wall time was spent: inside experiment phases (warmup to recovery, the traffic
     * that is judged) and outside them (replica start-up, settling, resets, rollbacks, reports).
     */
    public static String wallTime(List<RunResult> results, Duration wall) {
        long inside = results.stream().mapToLong(Reports::phaseSeconds).sum();
        long total = Math.max(1, wall.toSeconds());
        long outside = Math.max(0, total - inside);
        return String.format(Locale.ROOT, "Wall time: %s for %d experiment(s); %s (%d%%) inside experiment phases, "
                        + "%s (%d%%) outside them (replica start-up, settling, resets, reports).",
                clock(total), results.size(), clock(inside), Math.round(100.0 * inside / total), clock(outside),
                Math.round(100.0 * outside / total));
    }

    private static long phaseSeconds(RunResult result) {
        return result.windows().values().stream().mapToLong(PhaseWindow::to).max().orElse(0);
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
