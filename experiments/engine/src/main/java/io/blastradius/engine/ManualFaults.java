package io.blastradius.engine;

import io.blastradius.engine.faults.Fault;
import io.blastradius.engine.faults.Faults;
import io.blastradius.environment.Change;
import io.blastradius.environment.Environment;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.Experiment.FaultSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Faults applied by hand during a game day, outside any experiment's schedule: each with a time limit after
 * which it is undone by itself, whatever becomes of whoever applied it (a dead-man's switch: a page closed, a
 * browser gone), and each journaled like an experiment's faults, so that {@code blastradius rollback} undoes it
 * after a crash. Undone all at once by {@link #undoAll} and on close.
 */
public final class ManualFaults implements AutoCloseable {

    /** The longest time limit a manual fault may have. */
    public static final Duration MAX_LIMIT = Duration.ofMinutes(30);

    /** One fault in place: its id, in words, and when it will be undone by itself. */
    public record Placed(String id, String label, Instant until) {
    }

    private final Supplier<Environment> environment;
    private final Path rollbackDir;
    private final RunListener listener;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "manual-fault-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, InPlace> inPlace = new LinkedHashMap<>();
    /** What the faults in place (or being applied) hold, shared with the experiments run on the same replica. */
    private final FaultHolds held;
    private boolean closed;

    private record InPlace(Placed placed, List<String> holds, Environment environment, List<Change> changes, RollbackJournal journal,
                           ScheduledFuture<?> timeout) {
    }

    /**
     * @param environment where the faults go (asked at each fault: the replica in use then)
     * @param rollbackDir where each fault's rollback journal is written until it is undone
     * @param held        what faults in place hold, shared with the experiments run on the same replica
     */
    public ManualFaults(Supplier<Environment> environment, Path rollbackDir, FaultHolds held, RunListener listener) {
        this.environment = environment;
        this.rollbackDir = rollbackDir;
        this.held = held;
        this.listener = listener;
    }

    /**
     * Applies the fault now and undoes it after {@code limit}: an IllegalArgumentException for a limit that is
     * not positive or is over {@link #MAX_LIMIT}; an engine or environment error if it cannot be applied,
     * after undoing whatever part of it was made.
     */
    public Placed apply(FaultSpec spec, Duration limit) {
        if (limit == null || limit.isZero() || limit.isNegative() || limit.compareTo(MAX_LIMIT) > 0) {
            throw new IllegalArgumentException("a manual fault needs a time limit of more than 0 and at most " + MAX_LIMIT.toMinutes() + "m, after which it is"
                    + " undone by itself; got " + limit);
        }
        String label = spec.type() + " on " + spec.target();
        String id = "manual-" + RunIds.next();
        List<String> holds = spec.holds();
        synchronized (this) {
            refuseWhenClosed();
            held.take(holds, id, label + " (by hand)");
        }
        // no lock held while the replica is reached (it may be starting): the list and the stop stay answerable
        Environment target;
        RollbackJournal journal;
        try {
            target = environment.get();
            journal = new RollbackJournal(rollbackDir, id, target.reattach());
        } catch (RuntimeException e) {
            held.release(holds, id); // no replica to fault: what it reserved is free again
            throw e;
        }
        List<Change> changes = Collections.synchronizedList(new ArrayList<>());
        try {
            Faults.byType(spec.type()).apply(spec, new Fault.Context(target, id, change -> {
                journal.applying(id, change);
                changes.add(change);
            }));
        } catch (RuntimeException e) {
            undo(target, changes, journal, id);
            held.release(holds, id);
            throw e;
        }
        Placed placed = new Placed(id, label, Instant.now().plus(limit));
        synchronized (this) {
            if (closed) {
                undo(target, changes, journal, id);
                held.release(holds, id);
                refuseWhenClosed();
            }
            // scheduled under the lock: a timer that fires at once waits for the entry it removes
            ScheduledFuture<?> timeout = timer.schedule(() -> undo(id, "its time limit"), limit.toMillis(), TimeUnit.MILLISECONDS);
            inPlace.put(id, new InPlace(placed, holds, target, changes, journal, timeout));
        }
        listener.fault("applied " + label + " by hand, undone by itself at " + placed.until());
        return placed;
    }

    private synchronized void refuseWhenClosed() {
        if (closed) {
            throw new IllegalStateException("the console is closing: no more faults by hand");
        }
    }

    public synchronized List<Placed> inPlace() {
        return inPlace.values().stream().map(InPlace::placed).toList();
    }

    /** Undoes one fault now; false if it is not (or no longer) in place. */
    public boolean undo(String id) {
        return undo(id, "by hand");
    }

    private boolean undo(String id, String why) {
        InPlace fault;
        synchronized (this) {
            fault = inPlace.remove(id);
        }
        if (fault == null) {
            return false;
        }
        fault.timeout().cancel(false);
        String failed = undo(fault.environment(), fault.changes(), fault.journal(), id);
        held.release(fault.holds(), id);
        listener.fault(failed == null ? "removed " + fault.placed().label() + " (" + why + ")"
                : "could not remove all of " + fault.placed().label() + " (" + why + "): " + failed);
        return true;
    }

    /** Undoes every fault in place; returns how many. */
    public int undoAll() {
        return undoAll("all at once");
    }

    /** Undoes every fault in place, saying why; returns how many. */
    public int undoAll(String why) {
        List<String> ids;
        synchronized (this) {
            ids = List.copyOf(inPlace.keySet());
        }
        int undone = 0;
        for (String id : ids) {
            undone += undo(id, why) ? 1 : 0;
        }
        return undone;
    }

    /**
     * Last change first; one that fails (most often because a reset between experiments undid it already) does
     * not keep the others from being undone. The journal goes either way. What failed, or null.
     */
    private static String undo(Environment environment, List<Change> changes, RollbackJournal journal, String id) {
        List<Change> reversed = new ArrayList<>(changes);
        Collections.reverse(reversed);
        String failed = null;
        for (Change change : reversed) {
            try {
                change.undo(environment);
            } catch (RuntimeException e) {
                failed = e.getMessage();
            }
        }
        journal.undone(id);
        journal.close();
        return failed;
    }

    /** Undoes every fault in place and takes no more. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        undoAll();
        timer.shutdownNow();
    }
}
