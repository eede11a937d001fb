package io.blastradius.engine;

import io.blastradius.engine.load.RouteSeries;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Percentile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's {@code journal.json}, as a record that Jackson writes as it is: everything for machines (the
 * experiment, the seed, the verdict and why, the faults' timeline, every check with its numbers, the
 * abort guards, the breaker changes, the blast-radius matrix (route, phase: impact and why), per-second
 * series per route, the generator's lateness, the settle step's warming). report.html
 * embeds the same record.
 */
public record Journal(ExperimentInfo experiment, String environment, long seed, String startedAt, String endedAt, String verdict,
                      boolean gatePassed, List<String> reasons, Map<String, Span> phases, List<RunResult.FaultEvent> faults,
                      List<Check> hypotheses, List<Check> abortGuards, List<RunResult.BreakerChange> circuitBreakers,
                      Map<String, Map<String, BlastRadiusMatrix.Cell>> blastRadius, Map<String, List<Second>> series, Generator generator,
                      RunResult.Settle settle) {

    /** Which experiment ran, from which file. */
    public record ExperimentInfo(String name, String title, String file, String expect, String profile) {
    }

    /** A phase's seconds from the start of the load: {@code [fromSecond, toSecond)}. */
    public record Span(int fromSecond, int toSecond) {
    }

    /**
     * One second of one route: requests sent (meant by the plan, and on the login route the logins of users whose
     * session was refused, also counted apart as {@code relogins}), how they ended (non-zero outcomes only), latency.
     */
    public record Second(int second, long sent, long relogins, Map<String, Long> outcomes, double p50Ms, double p99Ms, double maxMs) {
    }

    /** How late the load generator was: p99 over the run, and the worst per second (microseconds). */
    public record Generator(long lagP99Micros, Map<Integer, Long> worstLagMicrosBySecond) {
    }

    public static Journal of(RunResult r) {
        var e = r.experiment();
        Map<String, Span> phases = new LinkedHashMap<>();
        r.windows().forEach((phase, w) -> phases.put(phase.wireName(), new Span(w.from(), w.to())));
        Map<String, List<Second>> series = new LinkedHashMap<>();
        r.series().forEach((route, s) -> series.put(route.wireName(), seconds(s)));
        Map<String, Map<String, BlastRadiusMatrix.Cell>> blastRadius = new LinkedHashMap<>();
        BlastRadiusMatrix.of(r).forEach((route, cells) -> {
            Map<String, BlastRadiusMatrix.Cell> row = new LinkedHashMap<>();
            cells.forEach((phase, cell) -> row.put(phase.wireName(), cell));
            blastRadius.put(route.wireName(), row);
        });
        return new Journal(new ExperimentInfo(e.metadata().name(), e.metadata().title(), e.source().toString(),
                e.expect().name().toLowerCase(Locale.ROOT), e.replica().profile()),
                r.environment(), r.seed(), r.startedAt().toString(), r.endedAt().toString(), r.verdict().name(), r.gatePassed(),
                r.reasons(), phases, r.faults(), r.checks(), r.abortChecks(), r.breakerChanges(), blastRadius, series,
                new Generator(r.generatorLagP99Micros(), r.generatorLagMicros()), r.settle());
    }

    private static List<Second> seconds(RouteSeries series) {
        List<Second> out = new ArrayList<>();
        for (SecondStats s : series.seconds()) {
            Map<String, Long> outcomes = new LinkedHashMap<>();
            for (Outcome o : Outcome.values()) {
                if (s.count(o) > 0) {
                    outcomes.put(o.name().toLowerCase(Locale.ROOT), s.count(o));
                }
            }
            var latency = s.latency();
            out.add(new Second(s.second(), s.sentCount(), s.relogins(), outcomes, Evaluation.millis(latency, Percentile.P50),
                    Evaluation.millis(latency, Percentile.P99), Evaluation.millis(latency, Percentile.MAX)));
        }
        return out;
    }
}
