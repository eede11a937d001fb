package io.blastradius.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What Ctrl-C or SIGTERM does to a command that runs experiments: it interrupts the thread running them
 * (the engine then aborts the experiment and undoes its faults), waits for the command to finish its
 * cleanup and write its reports, and ends the JVM with the command's exit code rather than 128 + signal,
 * which is what a CI gate needs. Opened around the work on the thread that does it; closed when done.
 */
final class Interruptible implements AutoCloseable {

    /**
     * How long a signal waits for the rollback, the reports and the replica's end before the JVM ends anyway:
     * longer than a console's stop may wait for its run (60 s), so that its replica is still stopped after.
     */
    static final Duration CLEANUP = Duration.ofSeconds(120);

    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger exitCode;
    private final Thread hook;

    /** @param exitCode the code if a signal comes before {@link #exitCode(int)} says otherwise */
    Interruptible(int exitCode) {
        this.exitCode = new AtomicInteger(exitCode);
        Thread worker = Thread.currentThread();
        this.hook = new Thread(() -> {
            worker.interrupt();
            try {
                finished.await(CLEANUP.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(this.exitCode.get());
        }, "interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The code the JVM ends with if a signal comes now. */
    void exitCode(int code) {
        exitCode.set(code);
    }

    /** Whether a signal has asked the work to stop. */
    static boolean stopping() {
        return Thread.currentThread().isInterrupted();
    }

    /** The work is done and its reports written: a signal waiting on it may end the JVM now. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook is running
        }
    }
}
