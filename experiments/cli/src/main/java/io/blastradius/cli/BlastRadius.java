package io.blastradius.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code blastradius} command line. */
@Command(name = "blastradius", mixinStandardHelpOptions = true, version = "blastradius 0.1.0",
        description = "Chaos experiments against a miniature AI-service replica.",
        subcommands = {RunCommand.class, SweepCommand.class, ConsoleCommand.class, ValidateCommand.class, ListCommand.class, RollbackCommand.class, UpCommand.class, ImagesCommand.class, ExportCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:PASSED (or, for expect: deviation, DEVIATED): the gate passes",
                "1:DEVIATED: a hypothesis failed (or a negative control saw nothing)",
                "2:invalid input: an unknown option or value, or an invalid experiment file",
                "3:ABORTED: a safety guard fired; every fault was rolled back",
                "4:INCONCLUSIVE: the fault did not reach traffic, or the load generator fell behind",
                "5:ERROR: the harness failed (the replica did not start, a fault could not be applied)"})
public final class BlastRadius {

    public static final int OK = 0;
    public static final int INVALID_INPUT = 2;
    public static final int FAILED = 5;

    private BlastRadius() {
    }

    public static CommandLine commandLine() {
        return new CommandLine(new BlastRadius())
                .setExitCodeExceptionMapper(e -> FAILED)
                .setParameterExceptionHandler((e, args) -> {
                    CommandLine cmd = e.getCommandLine();
                    cmd.getErr().println("blastradius: " + e.getMessage());
                    cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
                    return INVALID_INPUT;
                });
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
