package io.blastradius.cli;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.blastradius.containers.DockerOrSkip;
import io.blastradius.engine.RollbackJournal;
import io.blastradius.environment.RunIds;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run on containers SIGKILLed in its fault phase (no shutdown hook runs, and Ryuk is off): its containers
 * stay, one of them paused. {@code blastradius rollback} undoes its journal through Docker (unpause) and
 * removes what it left; nothing of that run remains. A run sent SIGTERM while its containers start removes
 * them itself.
 */
class ContainersRollbackIT {

    static final Path HOME = Path.of(System.getProperty("blastradius.home", "../..")).toAbsolutePath().normalize();
    static final Path WORK = HOME.resolve("experiments/cli/target/it-runs/containers-" + RunIds.next());

    @Test
    void aKilledRunLeavesPausedContainersThatRollbackThawsAndRemoves() throws Exception {
        DockerOrSkip.requireImages();
        DockerClient docker = DockerClientFactory.instance().client();
        Files.createDirectories(WORK);
        Path file = WORK.resolve("killed.yaml");
        Files.writeString(file, """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: killed, title: The runner goes away mid-fault }
                traffic: [ { route: api, rate: 5/s } ]
                phases: { warmup: 1s, baseline: 2s, fault: 120s, recovery: 2s }
                faults:
                  - { target: gateway->auth-service, latency: { delay: 300ms } }
                  - { target: inference-stub, pause: {} }
                hypotheses: [ { name: api-ok, route: api, during: [fault], success-rate: ">= 0%" } ]
                """);
        Path home = WORK.resolve("home");
        String java = ProcessHandle.current().info().command().orElse("java");
        String cli = HOME.resolve("experiments/cli/target/blastradius-cli.jar").toString();
        Process runner = new ProcessBuilder(java, "-jar", cli, "run", "--env", "testcontainers", "--home", home.toString(),
                "--out", WORK.resolve("out").toString(), file.toString())
                .redirectErrorStream(true).redirectOutput(WORK.resolve("killed.console").toFile()).start();
        Map<String, String> owner = Map.of("io.blastradius.owner", InetAddress.getLocalHost().getHostName() + ":" + runner.pid());
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            Path journals = RollbackJournal.directory(home);
            while (!(RollbackJournal.pending(journals).size() == 1 && RollbackJournal.read(RollbackJournal.pending(journals).get(0)).entries().size() == 2
                    && paused(docker, owner).size() == 1)) {
                assertThat(runner.isAlive()).as("the runner died early: " + Files.readString(WORK.resolve("killed.console"))).isTrue();
                assertThat(System.nanoTime()).as("faults applied in time: " + Files.readString(WORK.resolve("killed.console"))).isLessThan(deadline);
                Thread.sleep(500);
            }
        } finally {
            runner.destroyForcibly().waitFor();
        }
        assertThat(containers(docker, owner)).as("a SIGKILLed run leaves its eleven containers (five services, their sandboxes, the fault proxy)").hasSize(11);
        assertThat(paused(docker, owner)).as("and the paused one").singleElement()
                .satisfies(c -> assertThat(c.getLabels()).containsEntry("io.blastradius.role", "inference-stub"));

        Process rollback = new ProcessBuilder(java, "-jar", cli, "rollback", "--home", home.toString()).redirectErrorStream(true).start();
        String report = new String(rollback.getInputStream().readAllBytes());
        assertThat(rollback.waitFor()).as(report).isZero();
        assertThat(report).contains("removed toxic").contains("continued paused inference-stub").contains("removed the containers its killed launcher left");
        assertThat(containers(docker, owner)).as("nothing of that run is left").isEmpty();
        assertThat(docker.listNetworksCmd().exec()).noneMatch(n -> n.getLabels() != null && owner.get("io.blastradius.owner").equals(n.getLabels().get("io.blastradius.owner")));
        assertThat(RollbackJournal.pending(RollbackJournal.directory(home))).isEmpty();
    }

    @Test
    void aRunSentSigtermWhileItsContainersStartRemovesThem() throws Exception {
        DockerOrSkip.requireImages();
        DockerClient docker = DockerClientFactory.instance().client();
        Path work = Files.createDirectories(WORK.resolve("sigterm"));
        Path file = work.resolve("stopped.yaml");
        Files.writeString(file, """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: stopped, title: The runner is stopped while the replica starts }
                traffic: [ { route: api, rate: 5/s } ]
                phases: { warmup: 1s, baseline: 2s, fault: 2s, recovery: 2s }
                faults: [ { target: inference-stub, pause: {} } ]
                hypotheses: [ { name: api-ok, route: api, during: [baseline], success-rate: ">= 0%" } ]
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        String cli = HOME.resolve("experiments/cli/target/blastradius-cli.jar").toString();
        Process runner = new ProcessBuilder(java, "-jar", cli, "run", "--env", "testcontainers", "--home", work.resolve("home").toString(),
                "--out", work.resolve("out").toString(), file.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("stopped.console").toFile()).start();
        Map<String, String> owner = Map.of("io.blastradius.owner", InetAddress.getLocalHost().getHostName() + ":" + runner.pid());
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            // the services' containers come after their five sandboxes and the fault proxy: stop it while they start
            while (containers(docker, owner).size() < 7) {
                assertThat(runner.isAlive()).as("the runner died early: " + Files.readString(work.resolve("stopped.console"))).isTrue();
                assertThat(System.nanoTime()).as("containers started in time").isLessThan(deadline);
                Thread.sleep(200);
            }
            runner.destroy();
            assertThat(runner.waitFor(90, TimeUnit.SECONDS)).as("the runner ends after SIGTERM").isTrue();
        } finally {
            runner.destroyForcibly().waitFor();
        }
        String console = Files.readString(work.resolve("stopped.console"));
        assertThat(runner.exitValue()).as(console).isNotZero();
        assertThat(containers(docker, owner)).as("nothing of the stopped run is left: " + console).isEmpty();
        assertThat(docker.listNetworksCmd().exec()).noneMatch(n -> n.getLabels() != null && owner.get("io.blastradius.owner").equals(n.getLabels().get("io.blastradius.owner")));
    }

    static List<Container> containers(DockerClient docker, Map<String, String> owner) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(owner).exec();
    }

    static List<Container> paused(DockerClient docker, Map<String, String> owner) {
        return containers(docker, owner).stream().filter(c -> "paused".equals(c.getState())).toList();
    }
}
