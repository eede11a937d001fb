package io.blastradius.cli;

import io.blastradius.engine.RollbackJournal;
import io.blastradius.engine.Rollbacks;
import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.environment.Environments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code blastradius rollback}: undo what runs that died (even by SIGKILL) left applied. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Undo the faults that runs which did not finish left applied (toxics, disabled proxies, Chaos Monkey, paused"
                + " processes), and remove the containers of killed runs.")
final class RollbackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", hidden = true, defaultValue = "${env:BLASTRADIUS_HOME:-.}")
    Path home;

    @Option(names = "--env", paramLabel = "NAME", completionCandidates = EnvironmentOptions.EnvironmentNames.class,
            description = "Only the runs in this environment (${COMPLETION-CANDIDATES}); default: every environment.")
    String env;

    @Override
    public Integer call() {
        List<EnvironmentProvider> providers;
        try {
            providers = env == null ? Environments.all() : List.of(Environments.named(env));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("blastradius rollback: " + e.getMessage());
            return 2;
        }
        List<String> report = new ArrayList<>(Rollbacks.undoPending(RollbackJournal.directory(home.toAbsolutePath().normalize()),
                name -> env == null || env.equals(name)));
        providers.forEach(provider -> report.addAll(provider.removeLeftovers()));
        if (report.isEmpty()) {
            spec.commandLine().getOut().println("nothing to roll back");
        }
        report.forEach(spec.commandLine().getOut()::println);
        boolean failed = report.stream().anyMatch(l -> l.contains("could not undo") || l.contains("could not remove"));
        return failed ? 5 : 0;
    }
}
