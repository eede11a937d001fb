package io.blastradius.engine;

import java.time.Duration;

/** The runner's time: {@link #SYSTEM} for real runs; a test gives one that moves only when the runner sleeps. */
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
    };

    /** As {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;
}
