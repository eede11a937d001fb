package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.Processes.State;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Process faults on one real container, its identity across them (what tells a suite the replica it warmed is the one
 * still running), and the one-line error when its container was removed by hand mid-run.
 */
class DockerProcessesIT {

    @BeforeAll
    static void images() {
        DockerOrSkip.requireImages();
    }

    @Test
    void pauseKillStartAndAContainerRemovedByHand() {
        DockerClient docker = DockerClientFactory.instance().client();
        try (GenericContainer<?> redis = new GenericContainer<>(Images.of(Service.REDIS)).withEnv("REDIS_PASSWORD", "secret")) {
            redis.start();
            List<Service> readied = new ArrayList<>();
            DockerProcesses processes = new DockerProcesses(docker, service -> redis.getContainerId(), readied::add);

            String first = processes.identity(Service.REDIS).orElseThrow();
            processes.pause(Service.REDIS);
            assertThat(processes.state(Service.REDIS)).isEqualTo(State.PAUSED);
            processes.resume(Service.REDIS);
            assertThat(processes.state(Service.REDIS)).isEqualTo(State.RUNNING);
            assertThat(processes.identity(Service.REDIS)).as("a pause is the same process: a suite keeps its warmth").contains(first);
            processes.kill(Service.REDIS);
            assertThat(processes.state(Service.REDIS)).isEqualTo(State.GONE);
            assertThat(processes.identity(Service.REDIS)).as("a killed container is no process").isEmpty();
            processes.start(Service.REDIS);
            assertThat(processes.state(Service.REDIS)).isEqualTo(State.RUNNING);
            assertThat(readied).as("start waits until the service answers").containsExactly(Service.REDIS);
            assertThat(processes.identity(Service.REDIS)).as("the same container started again is another process: cold")
                    .isPresent().get().isNotEqualTo(first);

            docker.removeContainerCmd(redis.getContainerId()).withForce(true).exec();
            assertThat(processes.state(Service.REDIS)).isEqualTo(State.GONE);
            assertThatThrownBy(() -> processes.kill(Service.REDIS)).isInstanceOf(EnvironmentException.class)
                    .hasMessage("docker kill redis: its container is gone (removed by hand?)");
        }
    }
}
