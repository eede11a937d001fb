package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.Processes;
import io.blastradius.experiment.Service;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link Processes} as containers, through the Docker API: crash = kill (SIGKILL), stop = stop (SIGTERM,
 * then SIGKILL after the grace period), pause = pause (the cgroup freezer: the whole container, so it works
 * whatever PID 1 is), start = start the same container again (same network alias, same host ports).
 */
final class DockerProcesses implements Processes {

    static final int STOP_GRACE_SECONDS = 10;

    private final DockerClient docker;
    private final Function<Service, String> containerId;
    private final Consumer<Service> awaitReady;

    DockerProcesses(DockerClient docker, Function<Service, String> containerId, Consumer<Service> awaitReady) {
        this.docker = docker;
        this.containerId = containerId;
        this.awaitReady = awaitReady;
    }

    @Override
    public State state(Service service) {
        InspectContainerResponse.ContainerState state;
        try {
            state = docker.inspectContainerCmd(containerId.apply(service)).exec().getState();
        } catch (NotFoundException e) {
            return State.GONE;
        }
        if (Boolean.TRUE.equals(state.getPaused())) {
            return State.PAUSED;
        }
        return Boolean.TRUE.equals(state.getRunning()) ? State.RUNNING : State.GONE;
    }

    /** The container's start time: {@code docker start} of the same container after a kill gives it another. */
    @Override
    public Optional<String> identity(Service service) {
        try {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId.apply(service)).exec().getState();
            return Boolean.TRUE.equals(state.getRunning()) ? Optional.ofNullable(state.getStartedAt()) : Optional.empty();
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void kill(Service service) {
        act(service, "kill", () -> docker.killContainerCmd(containerId.apply(service)).exec());
    }

    @Override
    public void stop(Service service) {
        act(service, "stop", () -> docker.stopContainerCmd(containerId.apply(service)).withTimeout(STOP_GRACE_SECONDS).exec());
    }

    @Override
    public void pause(Service service) {
        act(service, "pause", () -> docker.pauseContainerCmd(containerId.apply(service)).exec());
    }

    @Override
    public void resume(Service service) {
        if (state(service) == State.PAUSED) {
            unpause(service);
        }
    }

    @Override
    public boolean canStart() {
        return true;
    }

    @Override
    public void start(Service service) {
        switch (state(service)) {
            case PAUSED -> unpause(service);
            case GONE -> act(service, "start", () -> docker.startContainerCmd(containerId.apply(service)).exec());
            default -> {
            }
        }
        awaitReady.accept(service);
    }

    private void unpause(Service service) {
        act(service, "unpause", () -> docker.unpauseContainerCmd(containerId.apply(service)).exec());
    }

    private void act(Service service, String what, Runnable call) {
        try {
            call.run();
        } catch (NotFoundException e) {
            throw new EnvironmentException("docker " + what + " " + service.wireName() + ": its container is gone (removed by hand?)", e);
        } catch (RuntimeException e) {
            throw new EnvironmentException("docker " + what + " " + service.wireName() + " failed: " + Images.firstLine(e.getMessage()), e);
        }
    }
}
