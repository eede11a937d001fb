package io.blastradius.support;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes a service exit when the process that launched it is gone, so that a SIGKILLed launcher leaves
 * no orphans behind. Opt-in: the launcher passes its pid as {@code BLASTRADIUS_PARENT_PID}.
 */
public final class ParentWatchdog {

    public static final String PARENT_PID_ENV = "BLASTRADIUS_PARENT_PID";
    private static final long POLL_MILLIS = 250;

    private ParentWatchdog() {
    }

    /** Starts the watchdog if the environment names a parent pid; returns whether it started. */
    public static boolean startFromEnvironment() {
        String pid = System.getenv(PARENT_PID_ENV);
        if (pid == null || pid.isBlank()) {
            return false;
        }
        long parentPid;
        try {
            parentPid = Long.parseLong(pid.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PARENT_PID_ENV + " must be a process id, but was '" + pid + "'");
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            System.err.println("blastradius: launcher process " + parentPid + " is already gone; exiting");
            System.exit(3);
        }
        Thread watcher = new Thread(() -> watch(parent.get()), "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
        return true;
    }

    private static void watch(ProcessHandle parent) {
        try {
            while (parent.isAlive()) {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
            System.err.println("blastradius: launcher process " + parent.pid() + " exited; shutting down");
            System.exit(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
