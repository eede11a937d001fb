package io.blastradius.engine.faults;

import io.blastradius.environment.Capability;
import io.blastradius.environment.Change;
import io.blastradius.environment.Environment;
import io.blastradius.environment.FaultProxy;
import io.blastradius.experiment.Experiment.FaultSpec;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One fault type ({@code latency}, {@code crash}, ...): applies itself to its target through the
 * environment's capabilities, and says which {@link Change}s it made. Before making each change it
 * journals it, so that a later run or {@code blastradius rollback} can undo it even if this process
 * dies. Looked up by type in {@link Faults}.
 */
public interface Fault {

    String type();

    /** The capabilities an environment must offer for this fault, checked before a run starts. */
    Set<Capability> needs();

    Applied apply(FaultSpec spec, Context context);

    /** What a fault needs: the environment, a unique id for its toxics, and the rollback journal. */
    record Context(Environment environment, String id, Consumer<Change> journal) {

        /** The environment's fault proxy, for a network fault ({@code what}: e.g. "latency on gateway->auth-service"). */
        FaultProxy faultProxy(String what) {
            return environment.require(environment.faultProxy(), Capability.FAULT_PROXY, what);
        }
    }

    /**
     * An applied fault: the changes to undo (in reverse order) at the end of its window, and what shows
     * it reached traffic (e.g. fault-proxy counters), or null when only the routes can tell.
     */
    record Applied(List<Change> changes, Supplier<Long> reach) {

        public Applied {
            changes = List.copyOf(changes);
        }

        public static Applied of(List<Change> changes) {
            return new Applied(changes, () -> null);
        }

        public Long connectionsAffected() {
            return reach.get();
        }
    }
}
