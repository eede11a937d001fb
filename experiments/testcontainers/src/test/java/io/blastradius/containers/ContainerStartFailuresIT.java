package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What goes wrong before a replica on containers is up, each one clear error with what to do, and
 * nothing of the replica left behind: an image missing, images older than the jars, a service that dies
 * while starting, a published port that another program took.
 */
class ContainerStartFailuresIT {

    final DockerClient docker = DockerClientFactory.instance().client();

    @BeforeAll
    static void images() {
        DockerOrSkip.requireImages();
    }

    @Test
    void aMissingImageIsNamedWithTheCommandThatBuildsItAndNothingStarts(@TempDir Path runDir) {
        String image = Images.of(Service.INFERENCE_STUB);
        String kept = "blastradius/kept-by-a-test:" + ProcessHandle.current().pid();
        String[] repoAndTag = image.split(":");
        // untag only: the image stays under the other name, and gets its own name back in finally
        docker.tagImageCmd(image, kept.split(":")[0], kept.split(":")[1]).exec();
        docker.removeImageCmd(image).exec();
        try {
            assertThatThrownBy(() -> ContainerReplica.start(docker, DockerOrSkip.HOME, runDir, ReplicaProfile.DECOUPLED, Map.of()))
                    .isInstanceOf(EnvironmentException.class)
                    .hasMessage("this Docker engine lacks the replica's images [" + image + "]: run './blastradius images'"
                            + " (it builds them from the jars; a minute or two the first time)");
            assertThat(ours()).isEmpty();
        } finally {
            docker.tagImageCmd(kept, repoAndTag[0], repoAndTag[1]).exec();
            docker.removeImageCmd(kept).exec();
        }
    }

    @Test
    void imagesBuiltFromOtherJarsAreRefusedBeforeAnythingStarts(@TempDir Path home, @TempDir Path runDir) throws IOException {
        // a checkout whose inference-stub jar is not the one the image was built from
        Path module = Files.createDirectories(home.resolve("inference-stub/target"));
        Files.copy(DockerOrSkip.HOME.resolve("inference-stub/Dockerfile"), home.resolve("inference-stub/Dockerfile"));
        Files.write(module.resolve("inference-stub.jar"), new byte[] {'P', 'K', 3, 4});

        assertThat(Images.stale(DockerOrSkip.HOME)).as("the build's own jars made the images").isEmpty();
        String stale = Images.of(Service.INFERENCE_STUB) + " (not built from inference-stub/target/inference-stub.jar and inference-stub/Dockerfile)";
        assertThat(Images.stale(home)).containsExactly(stale);
        assertThatThrownBy(() -> ContainerReplica.start(docker, home, runDir, ReplicaProfile.DECOUPLED, Map.of()))
                .isInstanceOf(EnvironmentException.class)
                .hasMessage("the replica's images do not match this checkout, so a run would test other code: " + stale
                        + ": run './blastradius images' (it rebuilds only those)");
        assertThat(ours()).isEmpty();
    }

    @Test
    void aServiceThatDiesWhileStartingIsNamedWithItsLastLinesAndEveryContainerIsRemoved(@TempDir Path runDir) {
        Map<Service, Map<String, String>> broken = Map.of(Service.INFERENCE_STUB, Map.of("server.port", "not-a-port"));

        assertThatThrownBy(() -> ContainerReplica.start(docker, DockerOrSkip.HOME, runDir, ReplicaProfile.DECOUPLED, broken))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("inference-stub exited while starting; its last lines:\n")
                .hasMessageContaining("not-a-port");
        assertThat(ours()).as("the replica's containers, the healthy ones too, are removed").isEmpty();
        assertThat(runDir.resolve("logs/inference-stub.log")).as("and the dead one's log is kept").content().contains("not-a-port");
    }

    @Test
    void aPublishedPortTakenByAnotherProgramIsOneLineSayingSo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             GenericContainer<?> redis = new GenericContainer<>(Images.of(Service.REDIS)).withEnv("REDIS_PASSWORD", "secret")
                     .withCreateContainerCmdModifier(cmd -> ContainerReplica.publishOnLoopback(cmd, Map.of(ContainerRun.REDIS, taken.getLocalPort())))) {
            assertThatThrownBy(() -> ContainerReplica.startInParallel(List.of(redis)))
                    .isInstanceOf(EnvironmentException.class)
                    .hasMessageStartingWith("could not start the replica's containers: a published port was taken by another program"
                            + " between choosing and binding it: run again (");
        }
    }

    /** The containers this test process made that are still there. */
    private List<Container> ours() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(ContainerRun.OWNER, StaleRuns.owner())).exec();
    }
}
