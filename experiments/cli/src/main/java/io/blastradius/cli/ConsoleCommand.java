package io.blastradius.cli;

import io.blastradius.console.Console;
import io.blastradius.engine.RunListener;
import io.blastradius.engine.Suite;
import io.blastradius.engine.Verdict;
import io.blastradius.engine.faults.Faults;
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

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code blastradius console}: the game-day console, a live page on loopback for running experiments and stopping them. */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Serve the game-day console on 127.0.0.1: pick experiments (default: the catalog),",
                "run them, watch each route live, the phases, the faults in place, the circuit breakers",
                "and the hypotheses so far, and stop everything with one button. The URL it prints",
                "carries a token made for this console; Ctrl-C stops a run still going and the replica."})
final class ConsoleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE|DIR", description = "Experiment files, or folders of *.yaml files (default: the catalog).")
    List<Path> paths;

    @Mixin
    EnvironmentOptions where;

    @Option(names = "--port", defaultValue = "0", paramLabel = "N", description = "The port on 127.0.0.1 (default: any free one).")
    int port;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice (default: the experiment's, else a new one).")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the console's runs go (default: runs/console-<time> under the project).")
    Path out;

    @Option(names = "--home", hidden = true, defaultValue = "${env:BLASTRADIUS_HOME:-.}")
    Path home;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter console = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65_535) {
            err.println("blastradius console: --port must be from 0 to 65535, but was " + port);
            return Verdict.INVALID_INPUT;
        }
        Path root = home.toAbsolutePath().normalize();
        Path runDir = (out != null ? out : root.resolve("runs").resolve("console-" + RunIds.next())).toAbsolutePath();
        EnvironmentProvider provider;
        List<Experiment> experiments;
        try {
            provider = where.provider(root, runDir);
            List<Path> inputs = paths == null || paths.isEmpty() ? List.of(home.resolve("experiments").resolve("catalog")) : paths;
            experiments = new ExperimentLoader(Faults.supportedBy(provider)).loadAll(inputs);
        } catch (InvalidExperimentException e) {
            err.println(e.getMessage());
            return Verdict.INVALID_INPUT;
        } catch (IllegalArgumentException | IOException e) {
            err.println("blastradius console: " + e.getMessage());
            return Verdict.INVALID_INPUT;
        }
        Map<String, String> parameters = where.parameters();
        try (Interruptible signals = new Interruptible(0);
             Console live = Console.start(feed -> new Suite(new Suite.Settings(root, runDir, provider, parameters, false, seed), console,
                     RunListener.all(List.of(new RunCommand.Progress(console), feed))), experiments, runDir, port)) {
            console.println("The game-day console is at " + live.url());
            console.println("(loopback only; the token in the URL is this console's alone. Ctrl-C stops it, a run still going first.)");
            console.flush();
            // the flag cleared on the way out, so that closing the console can wait for a run's rollback
            while (!Thread.interrupted()) {
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            err.println("blastradius console: could not serve the console on port " + port + ": " + e.getMessage());
            return Verdict.ERROR.exitCode();
        }
        console.println("console stopped; its runs are in " + runDir);
        console.flush();
        return 0;
    }
}
