package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.blastradius.environment.Processes;
import io.blastradius.experiment.Hop;
import io.blastradius.experiment.Service;
import io.blastradius.replica.ReplicaHttp;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.DockerClientFactory;

import java.io.IOException;
import java.util.List;
import java.util.function.ToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replica in containers through the extension a team registers: every hop really goes through the
 * fault proxy (cutting it breaks exactly the routes behind it), process faults really act on containers
 * through Docker, the reset really empties Redis. Each negative case is beside its positive one.
 */
class ReplicaContainersIT {

    /** Before the replica starts: this build's images (a team runs './blastradius images' once instead). */
    @RegisterExtension
    @Order(0)
    static final BeforeAllCallback images = context -> DockerOrSkip.requireImages();

    @RegisterExtension
    @Order(1)
    static final ReplicaContainers replica = ReplicaContainers.decoupled();

    ReplicaHttp http() {
        return new ReplicaHttp(replica.gatewayUrl());
    }

    int api() {
        return http().api(ReplicaHttp.MESSAGE, replica.demo().apiKey()).status();
    }

    int login() {
        return http().login(replica.demo().username(), replica.demo().password()).status();
    }

    /** Polls for up to 30 s: a breaker opened by the fault closes only after its wait in the open state. */
    static boolean eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Test
    void theRoutesServe() {
        assertThat(api()).isEqualTo(200);
        // a test before this one may have cut the session path: its client reconnects to Redis after a delay
        ReplicaHttp.Reply login = ReplicaHttp.pastA503(() -> http().login(replica.demo().username(), replica.demo().password()));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(http().app(login.json().path("token").asString()).status()).isEqualTo(200);
        assertThat(http().api(ReplicaHttp.MESSAGE, "not-the-key").status()).as("a wrong key is refused").isEqualTo(401);
    }

    @Test
    void everyHopGoesThroughTheFaultProxy() throws IOException {
        for (Hop hop : Hop.values()) {
            replica.proxy(hop).disable();
            boolean apiWorks = api() == 200;
            boolean loginWorks = login() == 200;
            replica.proxy(hop).enable();
            if (hop == Hop.GATEWAY_INFERENCE) {
                assertThat(apiWorks).as("api with %s cut", hop.wireName()).isFalse();
            } else {
                assertThat(apiWorks).as("api with %s cut: the public API does not depend on auth or Redis", hop.wireName()).isTrue();
                assertThat(loginWorks).as("login with %s cut", hop.wireName()).isFalse();
            }
            assertThat(api()).as("api once %s is back", hop.wireName()).isEqualTo(200);
        }
    }

    @Test
    void aToxicIsRemovedAfterEachTest() throws IOException {
        replica.proxy(Hop.GATEWAY_INFERENCE).toxics().latency("slow", ToxicDirection.DOWNSTREAM, 100);
        assertThat(replica.proxy(Hop.GATEWAY_INFERENCE).toxics().getAll()).hasSize(1);
        replica.afterEach(null);
        assertThat(replica.proxy(Hop.GATEWAY_INFERENCE).toxics().getAll()).isEmpty();
    }

    @Test
    void aPausedAuthServiceFreezesLoginButNotTheApiAndResumes() {
        Processes processes = replica.processes();
        processes.pause(Service.AUTH_SERVICE);
        assertThat(processes.state(Service.AUTH_SERVICE)).isEqualTo(Processes.State.PAUSED);
        assertThat(api()).isEqualTo(200);
        assertThat(login()).as("login while auth is frozen fails fast through the gateway's breaker or time limit").isNotEqualTo(200);
        processes.resume(Service.AUTH_SERVICE);
        assertThat(processes.state(Service.AUTH_SERVICE)).isEqualTo(Processes.State.RUNNING);
        assertThat(eventually(() -> login() == 200)).as("login once auth is thawed").isTrue();
    }

    @Test
    void aKilledServiceIsGoneUntilStartedAgainOnItsOldPorts() {
        Processes processes = replica.processes();
        processes.kill(Service.INFERENCE_STUB);
        assertThat(processes.state(Service.INFERENCE_STUB)).isEqualTo(Processes.State.GONE);
        assertThat(api()).as("the api needs the inference stub").isNotEqualTo(200);
        processes.start(Service.INFERENCE_STUB);
        assertThat(processes.state(Service.INFERENCE_STUB)).isEqualTo(Processes.State.RUNNING);
        assertThat(eventually(() -> api() == 200)).as("the api serves again once the stub is back (its breaker half-opens)").isTrue();
        assertThat(replica.environment().breakers().orElseThrow().states()).as("the management port is where it was").isNotEmpty();
    }

    @Test
    void aStoppedRedisComesBackAndTheResetEmptiesIt() throws Exception {
        assertThat(eventually(() -> login() == 200)).as("a cold login path may first exceed the gateway's time limit").isTrue();
        String token = http().login(replica.demo().username(), replica.demo().password()).json().path("token").asString();
        assertThat(http().app(token).status()).isEqualTo(200);
        replica.environment().reset().orElseThrow().clearState();
        assertThat(eventually(() -> http().app(token).status() == 401))
                .as("the session is gone after the reset (once the gateway's 2 s validation cache lets go of it)").isTrue();

        Processes processes = replica.processes();
        processes.stop(Service.REDIS);
        assertThat(processes.state(Service.REDIS)).isEqualTo(Processes.State.GONE);
        assertThat(login()).as("no login without the session store").isNotEqualTo(200);
        processes.start(Service.REDIS);
        assertThat(eventually(() -> login() == 200)).as("login once Redis is back").isTrue();
    }

    @Test
    void aKilledServiceLeavesItsNetworkAsItWasAndIsRefusedAtOnce() throws Exception {
        ContainerRun run = ((ContainerEnvironment) replica.environment()).run();
        DockerClient docker = DockerClientFactory.instance().client();
        for (Service service : Service.values()) {
            String mode = docker.inspectContainerCmd(run.container(service)).exec().getHostConfig().getNetworkMode();
            assertThat(mode).as("%s runs in its sandbox's network", service.wireName()).startsWith("container:");
        }
        String sandbox = docker.inspectContainerCmd(run.container(Service.AUTH_SERVICE)).exec().getHostConfig().getNetworkMode().substring("container:".length());
        String address = sandboxAddress(docker, sandbox);
        assertThat(address).as("the sandbox has an address on the replica's network").isNotBlank();

        Processes processes = replica.processes();
        processes.kill(Service.AUTH_SERVICE);
        assertThat(processes.state(Service.AUTH_SERVICE)).isEqualTo(Processes.State.GONE);
        assertThat(sandboxAddress(docker, sandbox)).as("the sandbox keeps its address while the service is dead").isEqualTo(address);
        // a dead local process's port refuses a connection: so does a dead container's address in its sandbox
        // (bash's /dev/tcp from the fault proxy's container: 1 when refused, -1 when still unanswered after 10 s)
        String connect = "exec 3<>/dev/tcp/auth-service/8080";
        assertThat(Docker.exec(docker, run.faultProxy(), "bash", "-c", connect)).as("auth-service's address refuses a connection at once").isEqualTo(1);
        assertThat(api()).as("the api without auth-service").isEqualTo(200);

        processes.start(Service.AUTH_SERVICE);
        assertThat(sandboxAddress(docker, sandbox)).as("the same address once it is back").isEqualTo(address);
        assertThat(Docker.exec(docker, run.faultProxy(), "bash", "-c", connect))
                .as("and a connection is taken again: the refusal above was the dead service, not a wrong name").isZero();
        assertThat(eventually(() -> login() == 200)).as("login once auth-service is back").isTrue();
    }

    private static String sandboxAddress(DockerClient docker, String sandbox) {
        return docker.inspectContainerCmd(sandbox).exec().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    @Test
    void thePublicPathOutweighsTheLoginPathOnContendedCores() {
        ContainerRun run = ((ContainerEnvironment) replica.environment()).run();
        DockerClient docker = DockerClientFactory.instance().client();
        ToLongFunction<String> shares = id -> docker.inspectContainerCmd(id).exec().getHostConfig().getCpuShares();
        long faultProxy = shares.applyAsLong(run.faultProxy());
        long gateway = shares.applyAsLong(run.container(Service.GATEWAY));
        long inference = shares.applyAsLong(run.container(Service.INFERENCE_STUB));
        for (Service loginPath : List.of(Service.AUTH_SERVICE, Service.SESSION_CACHE, Service.REDIS)) {
            long weight = shares.applyAsLong(run.container(loginPath));
            assertThat(weight).as("%s's CPU weight", loginPath.wireName()).isPositive().isLessThan(gateway).isLessThan(faultProxy).isLessThan(inference);
        }
    }

    @Test
    void chaosMonkeyAnswersOnEachManagementPortWithTheToken() {
        var chaos = replica.environment().appChaos().orElseThrow();
        chaos.enable(Service.SESSION_CACHE, "{\"level\":1,\"latencyActive\":true,\"latencyRangeStart\":1,\"latencyRangeEnd\":2}");
        assertThat(chaos.enabled(Service.SESSION_CACHE)).isTrue();
        chaos.disable(Service.SESSION_CACHE);
        assertThat(chaos.enabled(Service.SESSION_CACHE)).isFalse();
    }
}
