package io.blastradius.environment;

import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.Service;

import java.util.List;

/**
 * Other replica settings (profile, properties) given to a running replica in place: only the services whose
 * settings change are started again, on the same addresses, and the rest keep running. What lets a sweep of
 * a gateway setting restart the gateway alone between its cells instead of a whole replica.
 */
public interface Reconfigure {

    /**
     * Applies the settings and returns the services it started again (none when nothing changes), each healthy
     * on return; an {@link EnvironmentException} if one does not come back, after which the replica is not to be used.
     */
    List<Service> apply(Experiment.ReplicaSpec settings);
}
