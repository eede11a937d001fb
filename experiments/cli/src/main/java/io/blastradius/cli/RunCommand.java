package io.blastradius.cli;

import io.blastradius.console.Console;
import io.blastradius.engine.Reports;
import io.blastradius.engine.RunListener;
import io.blastradius.engine.RunResult;
import io.blastradius.engine.Suite;
import io.blastradius.engine.Verdict;
import io.blastradius.engine.faults.Faults;
import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.InvalidExperimentException;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import io.blastradius.environment.RunIds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code blastradius run [FILE|DIR…]}: run experiments (the catalog by default) as one suite and gate on their verdicts. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run experiments (default: the whole catalog) as one suite: traffic, faults in",
                "the fault phase, hypotheses judged per phase. Experiments that need the same",
                "replica share one, reset between them. Writes journal.json and junit.xml per",
                "experiment, and summary.md, junit.xml and report.html for the suite; exits",
                "with the worst verdict's code."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE|DIR",
            description = "Experiment files, or folders of *.yaml files (default: the catalog, experiments/catalog).")
    List<Path> paths;

    @Mixin
    EnvironmentOptions where;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice (default: the experiment's, else a new one).")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Where results go (default: runs/run-<time> under the project).")
    Path out;

    @Option(names = "--fail-on", split = ",", paramLabel = "VERDICT",
            defaultValue = "deviated,aborted,inconclusive,error",
            description = "Which verdicts fail the run (exit code not 0): any of deviated, aborted, inconclusive, error "
                    + "(default: all). A negative control's gate counts as deviated.")
    List<String> failOn;

    @Option(names = "--isolate", description = "With --env local: a new replica for every experiment (slower; by default "
            + "experiments that need the same replica share one, reset between them).")
    boolean isolate;

    @Option(names = "--console", description = "Also serve the game-day console's live page for this run on 127.0.0.1 (the terminal"
            + " output is unchanged); it prints the URL, token included, and closes when the run ends.")
    boolean watch;

    @Option(names = "--console-port", defaultValue = "0", paramLabel = "N", description = "With --console: its port (default: any free one).")
    int consolePort;

    @Option(names = "--home", hidden = true, defaultValue = "${env:BLASTRADIUS_HOME:-.}")
    Path home;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String verdict : failOn) {
            if (!List.of("deviated", "aborted", "inconclusive", "error").contains(verdict)) {
                err.println("blastradius run: --fail-on takes deviated, aborted, inconclusive or error, but was '" + verdict + "'");
                return Verdict.INVALID_INPUT;
            }
        }
        if (consolePort < 0 || consolePort > 65_535) {
            err.println("blastradius run: --console-port must be from 0 to 65535, but was " + consolePort);
            return Verdict.INVALID_INPUT;
        }
        Path root = home.toAbsolutePath().normalize();
        Path runDir = (out != null ? out : root.resolve("runs").resolve("run-" + RunIds.next())).toAbsolutePath();
        EnvironmentProvider provider;
        Map<String, String> parameters = where.parameters();
        try {
            provider = where.provider(root, runDir);
        } catch (IllegalArgumentException e) {
            err.println("blastradius run: " + e.getMessage());
            return Verdict.INVALID_INPUT;
        }
        List<Experiment> experiments;
        try {
            List<Path> inputs = paths == null || paths.isEmpty() ? List.of(home.resolve("experiments").resolve("catalog")) : paths;
            experiments = new ExperimentLoader(Faults.supportedBy(provider)).loadAll(inputs);
        } catch (InvalidExperimentException e) {
            err.println(e.getMessage());
            return Verdict.INVALID_INPUT;
        } catch (IOException e) {
            err.println("blastradius run: " + e.getMessage());
            return Verdict.INVALID_INPUT;
        }
        List<Integer> exits = new ArrayList<>();
        Console live;
        try {
            live = watch ? Console.watch(experiments, runDir, consolePort) : null;
        } catch (RuntimeException e) {
            err.println("blastradius run: could not serve the console on port " + consolePort + ": " + e.getMessage());
            return Verdict.ERROR.exitCode();
        }
        try (Interruptible signals = new Interruptible(Verdict.ABORTED.exitCode()); live) {
            RunListener listener = live == null ? new Progress(console) : RunListener.all(List.of(new Progress(console), live.listener()));
            if (live != null) {
                console.println("watch it live: " + live.url() + " (loopback only; the page's stop aborts the run as Ctrl-C does)");
            }
            Suite suite = new Suite(new Suite.Settings(root, runDir, provider, parameters, isolate, seed), console, listener);
            try {
                for (Experiment experiment : Suite.inReplicaOrder(experiments)) {
                    exits.add(runOne(suite, experiment, runDir, console));
                    signals.exitCode(exitCode(exits, failOn));
                    if (Interruptible.stopping()) {
                        break;
                    }
                }
            } finally {
                String wallTime = suite.finish();
                if (!suite.results().isEmpty()) {
                    console.println();
                    Reports.suiteTable(suite.results()).forEach(console::println);
                    console.println(wallTime);
                    console.println("report:  " + runDir.resolve("report.html"));
                    console.println("summary: " + runDir.resolve("summary.md"));
                }
                console.println("results: " + runDir);
                console.flush();
                if (live != null) {
                    live.finished(suite.results().stream().map(r -> r.experiment().metadata().name() + ": " + r.verdict()).toList());
                }
            }
        }
        return exitCode(exits, failOn);
    }

    /** The run's exit code: the worst of the experiments' codes whose verdict is one to fail on, else 0. */
    static int exitCode(List<Integer> exits, List<String> failOn) {
        int worst = 0;
        for (int exit : exits) {
            if (exit != 0 && failOn.contains(category(exit)) && severity(exit) > severity(worst)) {
                worst = exit;
            }
        }
        return worst;
    }

    private static int runOne(Suite suite, Experiment experiment, Path runDir, PrintWriter console) {
        RunResult result = suite.run(experiment);
        console.println();
        Reports.table(result).forEach(console::println);
        console.printf("   %s%s — %s%n", result.verdict(), result.gatePassed() ? " (gate passed)" : " (gate failed)",
                String.join("; ", result.reasons()));
        console.println("   journal: " + runDir.resolve(experiment.metadata().name()).resolve("journal.json"));
        console.flush();
        if (result.gatePassed()) {
            return 0;
        }
        return result.verdict() == Verdict.PASSED ? Verdict.DEVIATED.exitCode() : result.verdict().exitCode();
    }

    /** The --fail-on name of an exit code. */
    private static String category(int exit) {
        return switch (exit) {
            case 1 -> "deviated";
            case 3 -> "aborted";
            case 4 -> "inconclusive";
            default -> "error";
        };
    }

    /** ERROR worst, then ABORTED, INCONCLUSIVE, DEVIATED; 0 best. */
    private static int severity(int exit) {
        return switch (exit) {
            case 0 -> 0;
            case 1 -> 1;
            case 4 -> 2;
            case 3 -> 3;
            default -> 4;
        };
    }

    /** Live progress: a rewritten line on a terminal, plain lines every 5 s otherwise. */
    static final class Progress implements RunListener {
        private final PrintWriter out;
        private final boolean terminal = System.console() != null;
        private Phase phase;

        Progress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void phase(Phase phase, int second) {
            this.phase = phase;
            if (terminal) {
                out.println();
            }
            out.printf("   [%3ds] %s%n", second, phase);
            out.flush();
        }

        @Override
        public void second(int second, Phase phase, Map<Route, SecondStats> last) {
            String line = String.format("   [%3ds] %-8s %s", second, phase, Reports.progress(last));
            if (terminal) {
                out.print("\r" + line + "   ");
                out.flush();
            } else if (second % 5 == 0) {
                out.println(line);
                out.flush();
            }
        }

        @Override
        public void fault(String event) {
            if (terminal) {
                out.println();
            }
            out.println("   fault: " + event);
            out.flush();
        }

        @Override
        public void settled(int seconds, boolean warm, String latest) {
            if (seconds == 0) {
                out.printf("   no warming needed (%s)%n", latest);
            } else {
                out.printf("   settled after %d s of warming traffic (%s)%s%n", seconds, latest,
                        warm ? "" : ": still getting faster when warming stopped, the baseline may be slow");
            }
            out.flush();
        }
    }
}
