package io.blastradius.cli;

import io.blastradius.engine.RollbackJournal;
import io.blastradius.engine.Rollbacks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code blastradius rollback}: undo what runs that died (even by SIGKILL) left applied. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Undo the faults that runs which did not finish left applied (toxics, disabled proxies, Chaos Monkey, paused processes).")
final class RollbackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", hidden = true, defaultValue = "${env:BLASTRADIUS_HOME:-.}")
    Path home;

    @Override
    public Integer call() {
        List<String> report = Rollbacks.undoPending(RollbackJournal.directory(home.toAbsolutePath().normalize()));
        if (report.isEmpty()) {
            spec.commandLine().getOut().println("nothing to roll back");
        }
        report.forEach(spec.commandLine().getOut()::println);
        boolean failed = report.stream().anyMatch(l -> l.contains("could not undo"));
        return failed ? 5 : 0;
    }
}
