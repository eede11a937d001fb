package io.blastradius.engine.fake;

import io.blastradius.engine.RunClock;

import java.time.Duration;

/** Time that moves only when the runner sleeps (or a fake load waits): a run of minutes takes milliseconds. */
public final class FakeClock implements RunClock {

    private long nanos = 1_000_000_000L;

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        nanos += duration.toNanos();
    }

    /** Seconds since {@code startNanos}. */
    public synchronized double secondsSince(long startNanos) {
        return (nanos - startNanos) / 1e9;
    }
}
