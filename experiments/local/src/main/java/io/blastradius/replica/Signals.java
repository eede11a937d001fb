package io.blastradius.replica;

import io.blastradius.environment.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** POSIX signals to a pid, through kill(1): the JDK can only TERM and KILL its own children. */
public final class Signals {

    /** The signals process faults send. */
    public enum Signal { KILL, TERM, STOP, CONT }

    private Signals() {
    }

    public static void send(long pid, Signal signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal.name(), Long.toString(pid)).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes()).trim();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new ReplicaException("kill -" + signal + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new ReplicaException("kill -" + signal + " " + pid + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicaException("interrupted while signalling " + pid, e);
        }
    }

    /** Whether the process is stopped (SIGSTOP). */
    public static boolean isStopped(long pid) {
        return state(pid) == Processes.State.PAUSED;
    }

    /**
     * What the process is doing: from the state in {@code /proc/<pid>/stat} (T: stopped, Z or X: gone),
     * or, where there is no /proc, whether it is alive.
     */
    public static Processes.State state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) S ...": the state follows the last ')', as comm may hold anything
            char state = stat.substring(stat.lastIndexOf(')') + 1).trim().charAt(0);
            return switch (state) {
                case 'T', 't' -> Processes.State.PAUSED;
                case 'Z', 'X', 'x' -> Processes.State.GONE;
                default -> Processes.State.RUNNING;
            };
        } catch (NoSuchFileException e) {
            return Processes.State.GONE;
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? Processes.State.RUNNING : Processes.State.GONE;
        }
    }
}
