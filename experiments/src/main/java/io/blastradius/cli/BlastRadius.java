package io.blastradius.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code blastradius} command line. */
@Command(name = "blastradius", mixinStandardHelpOptions = true, version = "blastradius 0.1.0",
        description = "Chaos experiments against a miniature AI-service replica.",
        subcommands = {UpCommand.class, ValidateCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:the replica failed to start or stop (see the message and the logs)",
                "2:invalid input: an unknown option or value, or an invalid experiment file"})
public final class BlastRadius {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID_INPUT = 2;

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
