package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.exception.NotFoundException;
import io.blastradius.environment.EnvironmentException;
import org.testcontainers.DockerClientFactory;

import java.util.concurrent.TimeUnit;

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
}
