package io.blastradius.engine.faults;

import io.blastradius.engine.env.Environment;
import io.blastradius.experiment.Experiment.FaultSpec;

import java.util.function.Consumer;

/**
 * One fault type ({@code latency}, {@code crash}, ...): applies itself to its target and returns how
 * to undo it. Before changing anything it journals an {@link UndoRecord}, so that a later run or
 * {@code blastradius rollback} can undo it even if this process dies. Looked up by type in {@link Faults}.
 */
public interface Fault {

    String type();

    Applied apply(FaultSpec spec, Context context);

    /** What a fault needs: the environment, a unique id for its toxics, and the rollback journal. */
    record Context(Environment environment, String id, Consumer<UndoRecord> journal) {
    }

    /** An applied fault. */
    interface Applied {
        /** Undoes the fault; safe to call twice. */
        void undo();

        /** What shows the fault reached traffic (e.g. fault-proxy counters), or null when only the routes can tell. */
        default Long connectionsAffected() {
            return null;
        }
    }
}
