package io.blastradius.cli;

import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.InvalidExperimentException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code blastradius list [DIR…]}: the experiments there (default: the catalog), one line each. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List experiments: name, what they show, tags, expectation.")
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE|DIR", description = "Experiment files or folders (default: experiments/catalog).")
    List<Path> paths;

    @Option(names = "--home", hidden = true, defaultValue = "${env:BLASTRADIUS_HOME:-.}")
    Path home;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> where = paths == null || paths.isEmpty() ? List.of(home.resolve("experiments").resolve("catalog")) : paths;
        List<Path> files;
        try {
            files = ExperimentLoader.files(where);
        } catch (IOException e) {
            spec.commandLine().getErr().println("blastradius list: " + e.getMessage());
            return BlastRadius.INVALID_INPUT;
        }
        ExperimentLoader loader = new ExperimentLoader();
        int invalid = 0;
        for (Path file : files) {
            try {
                Experiment e = loader.load(file);
                out.printf("%-28s %-60s %-24s %s%n", e.metadata().name(), e.metadata().title(),
                        String.join(",", e.metadata().tags()), e.expect() == Experiment.Expectation.DEVIATION ? "expect deviation" : "");
            } catch (InvalidExperimentException ex) {
                invalid++;
                out.printf("%-28s (invalid: run 'blastradius validate %s')%n", file.getFileName(), file);
            }
        }
        out.flush();
        return invalid == 0 ? BlastRadius.OK : BlastRadius.INVALID_INPUT;
    }
}
