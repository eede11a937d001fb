package io.blastradius.engine;

import io.blastradius.replica.ReplicaInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's circuit breakers during a run, read once a second on a thread of its own (a paused
 * gateway must not hold up the run's clock) and kept as state changes: second 0 holds the first states.
 */
final class BreakerWatch {

    private final ReplicaInfo replica;
    private final Map<String, String> last = new LinkedHashMap<>();
    private final List<RunResult.BreakerChange> changes = new ArrayList<>();
    private ScheduledExecutorService timer;

    BreakerWatch(ReplicaInfo replica) {
        this.replica = replica;
    }

    /** Starts reading; seconds count from {@code startNanos}, the load's start. */
    void start(long startNanos) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "breaker-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> record((int) TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos)),
                0, 1, TimeUnit.SECONDS);
    }

    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private synchronized void record(int second) {
        CircuitBreakers.states(replica).forEach((name, state) -> {
            if (!state.equals(last.put(name, state))) {
                changes.add(new RunResult.BreakerChange(second, name, state));
            }
        });
    }

    synchronized List<RunResult.BreakerChange> changes() {
        return List.copyOf(changes);
    }
}
