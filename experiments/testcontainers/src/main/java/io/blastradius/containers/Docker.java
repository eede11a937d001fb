package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.exception.NotFoundException;
import io.blastradius.environment.EnvironmentException;
import org.testcontainers.DockerClientFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The Docker engine, as Testcontainers finds it ({@code DOCKER_HOST}, the default socket, ~/.testcontainers.properties). */
final class Docker {

    private Docker() {
    }

    /** The client, or one line saying that there is no engine and what to do. */
    static DockerClient client() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new EnvironmentException("no Docker engine answers (DOCKER_HOST="
                    + System.getenv().getOrDefault("DOCKER_HOST", "unset, so the default socket") + "): start one (e.g. dockerd, or"
                    + " Docker Desktop) or point DOCKER_HOST at it; --env local needs no Docker");
        }
        return DockerClientFactory.instance().client();
    }

    /** Whether an engine answers, without saying why not. */
    static boolean available() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** Runs a command in a running container; its exit code (-1 if it could not be run). */
    static int exec(DockerClient docker, String containerId, String... command) {
        try {
            String exec = docker.execCreateCmd(containerId).withCmd(command).withAttachStdout(true).withAttachStderr(true).exec().getId();
            docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(10, TimeUnit.SECONDS);
            Long code = docker.inspectExecCmd(exec).exec().getExitCodeLong();
            return code == null ? -1 : code.intValue();
        } catch (RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static boolean imageExists(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Polls {@code ready} every 100 ms until it holds; an {@link EnvironmentException} with the container's
     * last log lines once the container is no longer running (asked once a second: an inspection costs the
     * daemon more than a health probe costs the service, and a restart mid-experiment shares the machine
     * with the traffic being measured), or once {@code timeout} has passed.
     */
    static void awaitUntil(DockerClient docker, String containerId, String what, BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int polls = 0; !ready.getAsBoolean(); polls++) {
            if (polls % 10 == 0 && !Boolean.TRUE.equals(docker.inspectContainerCmd(containerId).exec().getState().getRunning())) {
                throw new EnvironmentException(what + " exited while starting; its last lines:\n" + logTail(docker, containerId));
            }
            if (System.nanoTime() > deadline) {
                throw new EnvironmentException(what + " not ready within " + timeout.toSeconds() + " s; its last lines:\n" + logTail(docker, containerId));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnvironmentException("interrupted while waiting for " + what, e);
            }
        }
    }

    /** A container's last 25 log lines (stdout and stderr), or what kept them. */
    static String logTail(DockerClient docker, String containerId) {
        StringBuilder log = new StringBuilder();
        try {
            docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(25)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            log.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(5, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            return "(its log could not be read: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return log.toString().stripTrailing();
    }
}
