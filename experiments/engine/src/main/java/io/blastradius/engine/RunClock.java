package io.blastradius.engine;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The runner's time, and how busy this machine is: {@link #SYSTEM} for real runs; a test gives one that
 * moves only when the runner sleeps.
 */
public interface RunClock {

    RunClock SYSTEM = new RunClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }

        @Override
        public double cpuLoad() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getCpuLoad() : -1;
        }
    };

    /** As {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    /**
     * The whole machine's recent CPU use, 0 to 1 (every core busy); negative when unknown. A replica on
     * this machine whose JITs still compile keeps it high; one elsewhere leaves it low.
     */
    default double cpuLoad() {
        return -1;
    }
}
