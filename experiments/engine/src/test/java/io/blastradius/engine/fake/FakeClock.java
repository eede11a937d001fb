package io.blastradius.engine.fake;

import io.blastradius.engine.RunClock;

import java.time.Duration;

/** Time that moves only when the runner sleeps (or a fake load waits): a run of minutes takes milliseconds. */
public final class FakeClock implements RunClock {

    private long nanos = 1_000_000_000L;
    private double cpuLoad = -1;

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        nanos += duration.toNanos();
    }

    @Override
    public synchronized double cpuLoad() {
        return cpuLoad;
    }

    /** The machine's CPU use from now on, 0 to 1 (unknown, -1, until set). */
    public synchronized void cpuLoad(double load) {
        cpuLoad = load;
    }

    /** Seconds since {@code startNanos}. */
    public synchronized double secondsSince(long startNanos) {
        return (nanos - startNanos) / 1e9;
    }
}
