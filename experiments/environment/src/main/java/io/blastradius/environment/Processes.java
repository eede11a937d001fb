package io.blastradius.environment;

import io.blastradius.experiment.Service;

import java.util.Optional;

/**
 * The services' processes (an OS process, a container, a pod): each operation acts on the service's
 * current one, so that it stays right after a restart.
 */
public interface Processes {

    /** What a service's process is doing now. */
    enum State { RUNNING, PAUSED, GONE }

    State state(Service service);

    /** An abrupt end (SIGKILL, docker kill, pod delete). */
    void kill(Service service);

    /** A graceful end (SIGTERM, docker stop): returns once the process has ended, killed after a grace period if need be. */
    void stop(Service service);

    /** Frozen in place (SIGSTOP, the cgroup freezer). */
    void pause(Service service);

    /** Thawed after {@link #pause}. */
    void resume(Service service);

    /** Whether {@link #start} is possible here. */
    boolean canStart();

    /** Starts a service that is gone again, with its settings, and returns once it is healthy. */
    void start(Service service);

    /**
     * What tells this start of a service's process from the next one (a pid, a container's start time), or
     * empty where that cannot be known: a suite warms the replica again only when its processes are new.
     */
    default Optional<String> identity(Service service) {
        return Optional.empty();
    }

    /** A bounce: an abrupt end and at once a start, healthy on return (Kubernetes: a rollout restart). */
    default void restart(Service service) {
        kill(service);
        start(service);
    }
}
