package io.blastradius.cli;

import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.InvalidExperimentException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code blastradius validate FILE|DIR…}: check experiments without running anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check experiment files against the schema and the rules; print every problem as file:line:col.")
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Experiment files, or folders of *.yaml files.")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> files;
        try {
            files = ExperimentLoader.files(paths);
        } catch (IOException e) {
            err.println("blastradius validate: " + e.getMessage());
            return BlastRadius.INVALID_INPUT;
        }
        ExperimentLoader loader = new ExperimentLoader();
        int invalid = 0;
        for (Path file : files) {
            try {
                Experiment experiment = loader.load(file);
                out.println("ok      " + file + "  (" + experiment.metadata().name() + ": " + experiment.metadata().title() + ")");
            } catch (InvalidExperimentException e) {
                invalid++;
                err.println(e.getMessage());
            }
        }
        out.printf("%d file(s), %d invalid%n", files.size(), invalid);
        out.flush();
        err.flush();
        return invalid == 0 ? BlastRadius.OK : BlastRadius.INVALID_INPUT;
    }
}
