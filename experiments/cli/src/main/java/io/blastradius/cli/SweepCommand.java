package io.blastradius.cli;

import io.blastradius.engine.RunResult;
import io.blastradius.engine.Suite;
import io.blastradius.engine.Verdict;
import io.blastradius.engine.faults.Faults;
import io.blastradius.engine.sweep.SweepConclusion;
import io.blastradius.engine.sweep.SweepGrid;
import io.blastradius.engine.sweep.SweepResults;
import io.blastradius.environment.Capability;
import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.InvalidExperimentException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code blastradius sweep}: one experiment run once per combination of settings, the results side by side. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one experiment once per combination of the values given with --vary (their",
                "Cartesian product), and write the cells side by side: sweep.json and sweep.csv, each",
                "cell's run folder, sweep.html (the grid coloured by gate, the conclusion and the breaking",
                "point in words), and the cells' report.html and summary.md. Every key and value is",
                "checked, and the plan printed with its estimated wall time, before anything starts."})
final class SweepCommand implements Callable<Integer> {

    /**
     * Settling and resetting before each cell, a replica's start, and a restart of the services a setting changes,
     * for the estimate only: a 6-cell sweep of auth-latency on one local replica spent 2m28s outside its phases,
     * about 20 s a cell, 5.2 s for the gateway's restart (BENCHMARKS.md, "A sweep").
     */
    static final Duration SETTLE = Duration.ofSeconds(20);
    static final Duration REPLICA_START = Duration.ofSeconds(20);
    static final Duration SERVICE_RESTART = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "The experiment file to sweep.")
    Path file;

    @Option(names = "--vary", required = true, paramLabel = "KEY=V1,V2,…",
            description = "A key and its values (repeat for more keys). KEY: SERVICE:spring.property (e.g."
                    + " gateway:resilience4j.timelimiter.instances.auth.timeout-duration), faults[N].TYPE.ATTRIBUTE (e.g."
                    + " faults[0].latency.delay), traffic.ROUTE or traffic.ROUTE.PHASE, phases.PHASE, replica.profile.")
    List<String> vary;

    @Option(names = "--max-runs", defaultValue = "24", paramLabel = "N", description = "Refuse a grid of more cells (default: ${DEFAULT-VALUE}).")
    int maxRuns;

    @Option(names = "--metric", defaultValue = SweepConclusion.DEFAULT_METRIC, paramLabel = "ROUTE.PHASE.FIGURE",
            description = "The figure sweep.html shows in each cell and the widest margin is judged on: FIGURE is p99, success or"
                    + " p99-vs-baseline or failed-p99, the p99 of the failed requests alone (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--plan", description = "Print the plan and its estimated wall time; run nothing.")
    boolean planOnly;

    @Mixin
    EnvironmentOptions where;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice, the same in every cell (default: the experiment's, else a new one).")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Where results go (default: runs/sweep-<time> under the project).")
    Path out;

    @Option(names = "--home", hidden = true, defaultValue = "${env:BLASTRADIUS_HOME:-.}")
    Path home;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SweepGrid grid;
        EnvironmentProvider provider;
        Path root = home.toAbsolutePath().normalize();
        Path runDir = (out != null ? out : root.resolve("runs").resolve("sweep-" + RunIds.next())).toAbsolutePath();
        try {
            SweepConclusion.check(metric);
            if (maxRuns < 1) {
                throw new IllegalArgumentException("--max-runs must be at least 1, but was " + maxRuns);
            }
            provider = where.provider(root, runDir);
            // the faults this environment cannot apply are refused against the file's own lines
            new ExperimentLoader(Faults.supportedBy(provider)).load(file);
            grid = SweepGrid.of(file, vary.stream().map(SweepGrid::axis).toList(), maxRuns);
        } catch (InvalidExperimentException e) {
            err.println(e.getMessage());
            return Verdict.INVALID_INPUT;
        } catch (IllegalArgumentException e) {
            err.println("blastradius sweep: " + e.getMessage());
            return Verdict.INVALID_INPUT;
        }
        plan(grid, provider.capabilities().contains(Capability.RECONFIGURE), console);
        if (planOnly) {
            return 0;
        }
        List<Experiment> experiments = grid.cells().stream().map(SweepGrid.Cell::experiment).toList();
        Map<String, SweepGrid.Cell> byName = new HashMap<>();
        grid.cells().forEach(c -> byName.put(c.experiment().metadata().name(), c));
        List<SweepResults.CellResult> results = new ArrayList<>();
        boolean interrupted = false;
        try (Interruptible signals = new Interruptible(Verdict.ABORTED.exitCode())) {
            Suite suite = new Suite(new Suite.Settings(root, runDir, provider, where.parameters(), false, seed), console, new RunCommand.Progress(console));
            try {
                for (Experiment experiment : Suite.inReplicaOrder(experiments)) {
                    SweepGrid.Cell cell = byName.get(experiment.metadata().name());
                    console.println();
                    console.println("-- cell " + (cell.index() + 1) + " of " + grid.cells().size() + ": " + cell.label());
                    RunResult result = suite.run(experiment);
                    console.printf("   %s%s%n", result.verdict(), result.gatePassed() ? " (gate passed)" : " (gate failed)");
                    console.flush();
                    results.add(SweepResults.of(cell, result));
                    if (Interruptible.stopping()) {
                        interrupted = true;
                        console.printf("%nstopped by a signal after %d of %d cell(s); the results so far are written%n",
                                results.size(), grid.cells().size());
                        break;
                    }
                }
            } finally {
                String wallTime = suite.finish();
                results.sort(Comparator.comparingInt(SweepResults.CellResult::cell));
                SweepResults.Sweep sweepResult = new SweepResults.Sweep(file.toString(), grid.axes().stream().map(SweepGrid.Axis::key).toList(), results);
                SweepResults.write(sweepResult, metric, runDir);
                report(results, sweepResult, wallTime, runDir, console);
            }
        }
        if (interrupted) {
            return Verdict.ABORTED.exitCode();
        }
        return results.stream().anyMatch(r -> r.verdict().equals(Verdict.ERROR.name())) ? Verdict.ERROR.exitCode() : 0;
    }

    /** The cells in a table, the conclusion, the wall-time split and where the files are. */
    private void report(List<SweepResults.CellResult> results, SweepResults.Sweep sweepResult, String wallTime, Path runDir,
                        PrintWriter console) {
        console.println();
        for (SweepResults.CellResult cell : results) {
            console.printf("  %2d  %-13s %-7s %s%n", cell.cell(), cell.verdict(), cell.gatePassed() ? "passed" : "FAILED",
                    cell.values().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        }
        console.println();
        SweepConclusion.of(sweepResult, metric).forEach(console::println);
        console.println(wallTime.replace("experiment(s)", "cell(s)"));
        console.println("sweep:   " + runDir.resolve("sweep.html") + " (and sweep.csv, sweep.json)");
        console.println("report:  " + runDir.resolve("report.html"));
        console.flush();
    }

    /**
     * The cells and the estimated wall time: their phases, settling before each, and a replica start per distinct
     * replica setting, or where the environment restarts only the services a setting changes, one start and a
     * restart per further setting.
     */
    static void plan(SweepGrid grid, boolean reconfigures, PrintWriter console) {
        long phases = grid.cells().stream().mapToLong(c -> c.experiment().phases().values().stream().mapToLong(Duration::toSeconds).sum()).sum();
        long replicas = grid.cells().stream().map(c -> c.experiment().replica()).distinct().count();
        long starts = reconfigures ? REPLICA_START.toSeconds() + (replicas - 1) * SERVICE_RESTART.toSeconds()
                : replicas * REPLICA_START.toSeconds();
        long estimate = phases + grid.cells().size() * SETTLE.toSeconds() + starts;
        console.printf(Locale.ROOT, "sweep of %s: %d cell(s) (%s), %d replica setting(s); estimated wall time %dm%02ds"
                        + " (%d s of phases, settling before each cell, %s)%n",
                grid.file(), grid.cells().size(), grid.axes().stream().map(a -> a.key() + " × " + a.values().size())
                        .collect(Collectors.joining(", ")), replicas, estimate / 60, estimate % 60, phases,
                reconfigures ? "one replica start and a restart of the services each further setting changes"
                        : "a replica start per setting");
        for (SweepGrid.Cell cell : grid.cells()) {
            console.printf("  %2d  %s%n", cell.index() + 1, cell.label());
        }
        console.flush();
    }
}
