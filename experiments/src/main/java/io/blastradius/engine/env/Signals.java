package io.blastradius.engine.env;

import io.blastradius.engine.EngineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** POSIX signals to a pid, through kill(1): the JDK can only TERM and KILL its own children. */
public final class Signals {

    private Signals() {
    }

    public static void send(long pid, String signal) {
        if (!signal.matches("KILL|TERM|STOP|CONT")) {
            throw new IllegalArgumentException("signal must be KILL, TERM, STOP or CONT, but was " + signal);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes()).trim();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new EngineException("kill -" + signal + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new EngineException("kill -" + signal + " " + pid + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while signalling " + pid, e);
        }
    }

    /** Whether the process is stopped (SIGSTOP): state T in {@code /proc/<pid>/stat}; false where there is no /proc. */
    public static boolean isStopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) S ...": the state follows the last ')', as comm may hold anything
            String afterName = stat.substring(stat.lastIndexOf(')') + 1).trim();
            return afterName.startsWith("T") || afterName.startsWith("t");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
