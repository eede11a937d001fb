package io.blastradius.kubernetes;

import com.github.dockerjava.api.model.Capability;
import io.blastradius.containers.DockerOrSkip;
import static io.blastradius.containers.AsPods.asThePodRunsIt;
import io.blastradius.containers.Images;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pause fault's commands, which {@code --env kubernetes} runs in a pod through exec, run for real in
 * the project's images as the pods of k8s/ run them (uid 10001, read-only root, no capabilities): the
 * JVM, under tini, is stopped and continued; Redis, whose pod shares its process namespace (here: a
 * sandbox's PID namespace), too. The control: the same SIGSTOP sent to PID 1 stops nothing, which is why
 * the commands look for the service's own process.
 */
class PodSignalsIT {

    @BeforeAll
    static void images() {
        DockerOrSkip.requireImages();
    }

    private static String run(GenericContainer<?> container, Service service, String action) throws Exception {
        ExecResult result = container.execInContainer("sh", "-c", Replica.signalScript(service, action));
        assertThat(result.getExitCode()).as(action + ": " + result.getStderr()).isZero();
        return result.getStdout().strip();
    }

    @Test
    void theJvmUnderTiniIsStoppedAndContinuedWhilePid1IgnoresTheSameSignal() throws Exception {
        try (GenericContainer<?> service = asThePodRunsIt(Images.of(Service.INFERENCE_STUB))
                .withEnv("BLASTRADIUS_MANAGEMENT_TOKEN", "pod-signals")
                .withExposedPorts(8081)
                .waitingFor(Wait.forHttp("/actuator/health/liveness").forPort(8081).forStatusCode(200))) {
            service.start();
            // the control: PID 1 (tini) takes no SIGSTOP sent from inside its PID namespace
            service.execInContainer("sh", "-c", "kill -STOP 1");
            assertThat(service.execInContainer("sh", "-c", "cut -d' ' -f3 /proc/1/stat").getStdout().strip()).isNotEqualTo("T");

            assertThat(run(service, Service.INFERENCE_STUB, "state")).isIn("S", "R");
            assertThat(run(service, Service.INFERENCE_STUB, "stop")).matches("stopped [0-9]+").isNotEqualTo("stopped 1");
            assertThat(run(service, Service.INFERENCE_STUB, "state")).isEqualTo("T");
            // stopped: the liveness probe's port takes the connection (the kernel does) but nothing answers
            ExecResult probe = service.execInContainer("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\n\\r\\n' >&3"
                    + " && timeout 2 head -c 1 <&3");
            assertThat(probe.getStdout()).isEmpty();

            assertThat(run(service, Service.INFERENCE_STUB, "continue")).matches("continued [0-9]+");
            assertThat(run(service, Service.INFERENCE_STUB, "state")).isIn("S", "R");
        }
    }

    @Test
    void redisInAPodThatSharesItsProcessNamespaceIsStoppedAndContinued() throws Exception {
        // shareProcessNamespace: the pod's sandbox holds PID 1, Redis is an ordinary process of its namespace
        try (GenericContainer<?> sandbox = asThePodRunsIt(Images.of(Service.REDIS)).withCreateContainerCmdModifier(cmd -> {
            cmd.withUser("10001:10001").withEntrypoint("sleep", "infinity");
            cmd.getHostConfig().withReadonlyRootfs(true).withCapDrop(Capability.ALL).withSecurityOpts(List.of("no-new-privileges"));
        })) {
            sandbox.start();
            try (GenericContainer<?> redis = asThePodRunsIt(Images.of(Service.REDIS)).withEnv("REDIS_PASSWORD", "pod-signals")
                    .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1))
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPidMode("container:" + sandbox.getContainerId()))) {
                redis.start();
                String ping = "REDISCLI_AUTH=\"$REDIS_PASSWORD\" timeout 2 redis-cli -p 6379 ping";
                assertThat(redis.execInContainer("sh", "-c", ping).getStdout()).contains("PONG");

                assertThat(run(redis, Service.REDIS, "stop")).matches("stopped [0-9]+").isNotEqualTo("stopped 1");
                assertThat(run(redis, Service.REDIS, "state")).isEqualTo("T");
                assertThat(redis.execInContainer("sh", "-c", ping).getStdout()).doesNotContain("PONG");

                assertThat(run(redis, Service.REDIS, "continue")).matches("continued [0-9]+");
                assertThat(redis.execInContainer("sh", "-c", ping).getStdout()).contains("PONG");
            }
        }
    }
}
