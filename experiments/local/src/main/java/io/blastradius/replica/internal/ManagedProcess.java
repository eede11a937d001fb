package io.blastradius.replica.internal;

import io.blastradius.replica.ReplicaException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One child process of the replica, its output in a log file. Stopping is graceful first (SIGTERM, or
 * closing stdin for the Redis wrapper), then forced.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Path log;
    private final List<String> command;
    private final Map<String, String> environment;
    /** Asked to end already (by {@link #terminate}): {@link #close} does not signal it again. */
    private volatile boolean terminated;

    private ManagedProcess(String name, Process process, Path log, List<String> command, Map<String, String> environment) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
    }

    /** The same command, environment and log, started again (after a crash or stop). */
    public ManagedProcess relaunch() {
        return relaunch(command);
    }

    /** Ended if still running, and started again with another command line, the same environment and log. */
    public ManagedProcess relaunch(List<String> newCommand) {
        close();
        return start(name, newCommand, environment, log);
    }

    public static ManagedProcess start(String name, List<String> command, Map<String, String> environment, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            return new ManagedProcess(name, builder.start(), log, command, environment);
        } catch (IOException e) {
            throw new ReplicaException("could not start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The process this one started, for a wrapper such as Redis's. */
    public Optional<ProcessHandle> child() {
        return process.children().findFirst();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of its log, to explain a failure. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Ends it: SIGTERM, up to {@link #GRACE} to go, then SIGKILL; and any process it started that outlived it
     * (Redis under its wrapper) the same way. Waits even on an interrupted thread (Ctrl-C or SIGTERM interrupts the
     * thread that then stops the replica: a wrapper killed at once would leave Redis running), and keeps the
     * interrupt for the caller.
     */
    @Override
    public void close() {
        List<ProcessHandle> started = process.descendants().toList();
        boolean interrupted = Thread.interrupted();
        try {
            if (process.isAlive()) {
                if (!terminated) {
                    terminate();
                }
                end(process.toHandle());
            }
            for (ProcessHandle child : started) {
                if (child.isAlive()) {
                    child.destroy();
                    end(child);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits up to the grace period for a process asked to end, then kills it and waits again. */
    private static void end(ProcessHandle handle) {
        try {
            handle.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | InterruptedException e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException ignored) {
                // SIGKILL cannot be refused: it is going; an interrupt here is kept by the caller
            }
        }
    }

    /** Asks it to end (SIGTERM) and returns at once; {@link #close} waits for the end. */
    public void terminate() {
        terminated = true;
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // stdin already closed: the process is going away anyway
        }
        process.destroy();
    }
}
