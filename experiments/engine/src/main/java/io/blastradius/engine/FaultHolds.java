package io.blastradius.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the faults in place hold, one fault each: a service's Chaos Monkey, a process, a hop's link (see
 * {@link io.blastradius.experiment.Experiment.FaultSpec#holds()}). A suite's experiments and the faults applied by
 * hand on its replica share one, so that a game day's fault by hand cannot switch off an experiment's (Chaos Monkey
 * keeps one set of assaults per service), nor an experiment's undo end a fault by hand. An experiment's own faults
 * never overlap on a holder: its loader refuses that.
 */
public final class FaultHolds {

    private record Holder(String owner, String label) {
    }

    private final Map<String, Holder> held = new HashMap<>();

    /**
     * Takes every one of {@code holds} for {@code owner} (a fault's id), or none: an IllegalStateException naming the
     * fault ({@code label}) that holds one of them.
     */
    public synchronized void take(List<String> holds, String owner, String label) {
        for (String holder : holds) {
            Holder by = held.get(holder);
            if (by != null && !by.owner().equals(owner)) {
                throw new IllegalStateException(holder + " takes one such fault at a time, and " + by.label() + " is in place: undo it first");
            }
        }
        holds.forEach(holder -> held.put(holder, new Holder(owner, label)));
    }

    /** Frees what {@code owner} holds of {@code holds}; what another took is left as it is. */
    public synchronized void release(List<String> holds, String owner) {
        holds.forEach(holder -> held.computeIfPresent(holder, (h, by) -> by.owner().equals(owner) ? null : by));
    }
}
