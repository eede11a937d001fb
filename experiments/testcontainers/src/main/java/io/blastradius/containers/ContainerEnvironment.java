package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import io.blastradius.environment.AppChaos;
import io.blastradius.environment.Breakers;
import io.blastradius.environment.Endpoints;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.EnvironmentRef;
import io.blastradius.environment.FaultProxy;
import io.blastradius.environment.Processes;
import io.blastradius.environment.Reset;
import io.blastradius.experiment.Service;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A replica on containers: every capability, process faults through the Docker API. Opened by this
 * process (closing removes its containers), or found again by run id after its launcher was killed, to
 * undo its journal (closing leaves them to {@link ContainerEnvironmentProvider#removeLeftovers()}).
 */
final class ContainerEnvironment implements Environment {

    private final DockerClient docker;
    private final ContainerRun run;
    private final Runnable close;
    private final Processes processes;

    ContainerEnvironment(DockerClient docker, ContainerRun run, Consumer<Service> awaitReady, Runnable close) {
        this.docker = docker;
        this.run = run;
        this.close = close;
        this.processes = new DockerProcesses(docker, run::container, awaitReady);
    }

    /** The containers of this replica (for tests that inspect them). */
    ContainerRun run() {
        return run;
    }

    @Override
    public String name() {
        return ContainerEnvironmentProvider.NAME;
    }

    @Override
    public Endpoints endpoints() {
        return run.endpoints();
    }

    @Override
    public Optional<FaultProxy> faultProxy() {
        return Optional.of(run.faultProxyApi());
    }

    @Override
    public Optional<AppChaos> appChaos() {
        return Optional.of(run.appChaos());
    }

    @Override
    public Optional<Processes> processes() {
        return Optional.of(processes);
    }

    @Override
    public Optional<Breakers> breakers() {
        return Optional.of(run.breakers());
    }

    /** The sessions go: FLUSHALL in the Redis container. */
    @Override
    public Optional<Reset> reset() {
        return Optional.of(() -> {
            int exit = Docker.exec(docker, run.container(Service.REDIS), "sh", "-c", "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli FLUSHALL | grep -q OK");
            if (exit != 0) {
                throw new EnvironmentException("could not remove the sessions from the Redis container (redis-cli exited " + exit + ")");
            }
            return List.of();
        });
    }

    @Override
    public EnvironmentRef reattach() {
        return new EnvironmentRef(ContainerEnvironmentProvider.NAME, Map.of(ContainerEnvironmentProvider.RUN, run.runId()));
    }

    @Override
    public void close() {
        close.run();
    }
}
