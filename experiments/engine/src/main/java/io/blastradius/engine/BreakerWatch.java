package io.blastradius.engine;

import io.blastradius.environment.Breakers;
import io.blastradius.environment.EnvironmentException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The gateway's circuit breakers during a run, read once a second on a thread of its own (a paused
 * gateway must not hold up the run's clock) and kept as state changes: second 0 holds the first states.
 * A reading that fails is not a state: the last failure is kept, so that a timeline left empty by a
 * wrong token or a dead actuator says why.
 */
final class BreakerWatch {

    private final Breakers breakers;
    private final LongSupplier nanoTime;
    private final RunListener listener;
    private final Map<String, String> last = new LinkedHashMap<>();
    private final List<RunResult.BreakerChange> changes = new ArrayList<>();
    private int readings;
    private String failure;
    private ScheduledExecutorService timer;

    BreakerWatch(Breakers breakers, LongSupplier nanoTime, RunListener listener) {
        this.breakers = breakers;
        this.nanoTime = nanoTime;
        this.listener = listener;
    }

    /** Starts reading; seconds count from {@code startNanos}, the load's start. */
    void start(long startNanos) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "breaker-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> read((int) TimeUnit.NANOSECONDS.toSeconds(nanoTime.getAsLong() - startNanos)),
                0, 1, TimeUnit.SECONDS);
    }

    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void read(int second) {
        try {
            record(second, breakers.states());
        } catch (EnvironmentException e) {
            synchronized (this) {
                failure = e.getMessage();
            }
        }
    }

    synchronized void record(int second, Map<String, String> states) {
        readings++;
        states.forEach((name, state) -> {
            if (!state.equals(last.put(name, state))) {
                changes.add(new RunResult.BreakerChange(second, name, state));
                listener.breaker(second, name, state);
            }
        });
    }

    synchronized List<RunResult.BreakerChange> changes() {
        return List.copyOf(changes);
    }

    /** Why the timeline is empty when no reading succeeded, for the run's reasons; null otherwise. */
    synchronized String unread() {
        return readings == 0 && failure != null ? "the circuit breakers could not be read during the run: " + failure : null;
    }
}
