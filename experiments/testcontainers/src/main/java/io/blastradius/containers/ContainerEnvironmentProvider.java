package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import io.blastradius.environment.Capability;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --env testcontainers}: the replica as containers from the images of {@code blastradius images}. */
public final class ContainerEnvironmentProvider implements EnvironmentProvider {

    public static final String NAME = "testcontainers";
    /** The parameter that finds a run's containers again. */
    static final String RUN = "run";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "start the replica as containers (Docker, images from 'blastradius images'), the fault proxy's image in Toxiproxy's place";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.complementOf(EnumSet.of(Capability.RECONFIGURE));
    }

    @Override
    public Environment open(EnvironmentRequest request) {
        if (request.replica().properties().containsKey(Service.REDIS.wireName())) {
            throw new EnvironmentException("the " + name() + " environment does not take Redis settings (replica.properties.redis): its Redis"
                    + " image persists nothing; run this experiment with --env local");
        }
        DockerClient docker = Docker.client();
        StaleRuns.remove(docker);
        Map<Service, Map<String, String>> properties = new EnumMap<>(Service.class);
        ReplicaProfile profile;
        try {
            profile = ReplicaProfile.fromWireName(request.replica().profile());
            request.replica().properties().forEach((service, values) -> properties.put(Service.fromWireName(service), values));
        } catch (IllegalArgumentException e) {
            throw new EnvironmentException("cannot start this replica: " + e.getMessage(), e);
        }
        ContainerReplica replica = ContainerReplica.start(docker, request.home(), request.runDir(), profile, properties);
        return new ContainerEnvironment(docker, replica.run(), replica::awaitReady, replica::close);
    }

    /**
     * A killed run's containers, found by its run id, to undo what its journal lists; closing leaves them:
     * {@link #removeLeftovers()} removes them (and says so) once every journal is dealt with.
     */
    @Override
    public Environment reattach(Map<String, String> parameters) {
        String runId = parameters.get(RUN);
        if (runId == null) {
            throw new IllegalArgumentException("the testcontainers environment is found again by its run id: parameter 'run' missing");
        }
        DockerClient docker = Docker.client();
        ContainerRun run = ContainerRun.find(docker, runId);
        return new ContainerEnvironment(docker, run, service -> Docker.awaitUntil(docker, run.container(service), service.wireName(),
                () -> run.ready(docker, service), ContainerReplica.START_TIMEOUT), () -> { });
    }

    /** The containers and networks of killed runs on this host (none without a Docker engine). */
    @Override
    public List<String> removeLeftovers() {
        return Docker.available() ? StaleRuns.remove(Docker.client()) : List.of();
    }
}
