package io.blastradius.environment;

import io.blastradius.experiment.Experiment.ReplicaSpec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What an environment is opened for.
 *
 * @param home       the Blast Radius checkout (its built jars, {@code runs/})
 * @param runDir     where the environment may write (logs, its description)
 * @param replica    the replica an experiment needs: profile and per-service properties
 * @param seed       the seed of every random choice the environment makes (the fault proxy's)
 * @param parameters environment-specific settings, e.g. {@code replica} (a replica.json) for attach
 */
public record EnvironmentRequest(Path home, Path runDir, ReplicaSpec replica, long seed, Map<String, String> parameters) {

    public EnvironmentRequest {
        parameters = Map.copyOf(parameters);
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }
}
