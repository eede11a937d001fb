package io.blastradius.kubernetes;

import io.blastradius.engine.RunResult;
import io.blastradius.engine.Suite;
import io.blastradius.engine.Verdict;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.Service;
import io.blastradius.replica.LocalReplica;
import io.blastradius.replica.ReplicaInfo;
import io.blastradius.replica.ReplicaOptions;
import io.fabric8.kubernetes.client.PortForward;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Experiments run end to end through {@code --env kubernetes}: the engine, the environment, its
 * port-forwards and every HTTP call real, against real services. What no cluster here can give is
 * filled in: fabric8's mock API server holds the replica's objects (k8s/base), and each pod's
 * port-forward is relayed to the matching process of a real local replica (the mock emulates no
 * port-forward). So the hop faults (toxics through the fault proxy's forward), Chaos Monkey (through the
 * management forwards, with the Secret's token), the circuit-breaker watch and the load are real, and
 * the verdicts are real; process faults are not run here (the mock's pods are not the processes).
 */
class KubernetesRunIT {

    static LocalReplica replica;
    static MockCluster cluster;
    static Path work;

    @BeforeAll
    static void start() throws IOException {
        Path home = MockCluster.home();
        work = Files.createDirectories(home.resolve("experiments/kubernetes/target/it-runs/run-" + RunIds.next()));
        replica = LocalReplica.start(ReplicaOptions.custom(home).runDir(work.resolve("replica")).build());
        cluster = new MockCluster();
        // between experiments a suite's reset asks each pod whether its process is paused, and Redis to flush
        cluster.controllers.onCreate(pod -> {
            String deployment = deployment(pod.getMetadata().getName());
            if (!deployment.equals(Replica.FAULT_PROXY)) {
                Service service = Service.fromWireName(deployment);
                cluster.exec(pod.getMetadata().getName(), deployment, Replica.signalScript(service, "state"), "S\n");
            }
            if (deployment.equals(Service.REDIS.wireName())) {
                cluster.exec(pod.getMetadata().getName(), deployment, "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli FLUSHALL", "OK\n");
            }
        });
        cluster.withReplica(replica.info().managementToken()).awaitPods();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    /** The Deployment of a pod named {@code <deployment>-<n>}. */
    static String deployment(String pod) {
        return pod.substring(0, pod.lastIndexOf('-'));
    }

    /** Each pod's port, relayed to the local process that plays it. */
    static PodForward.Tunnel toLocalReplica(KubernetesClient client, String namespace) {
        ReplicaInfo info = replica.info();
        return (pod, port, connection) -> {
            String deployment = deployment(pod);
            URI target = switch (port) {
                case KubernetesEnvironment.HTTP -> info.gatewayUrl();
                case KubernetesEnvironment.TOXIPROXY_API -> info.faultProxyUrl();
                case KubernetesEnvironment.MANAGEMENT -> info.service(Service.fromWireName(deployment)).managementUrl();
                default -> throw new IllegalArgumentException("no port " + port + " on " + pod);
            };
            return relay(connection, new InetSocketAddress(target.getHost(), target.getPort()));
        };
    }

    private static PortForward relay(SocketChannel connection, InetSocketAddress to) {
        try {
            SocketChannel upstream = SocketChannel.open(to);
            Thread up = pump(connection, upstream);
            Thread down = pump(upstream, connection);
            return PortForwards.of(() -> up.isAlive() || down.isAlive(), () -> {
                connection.close();
                upstream.close();
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Thread pump(SocketChannel from, SocketChannel to) {
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException ignored) {
                // either side went away
            }
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing
            }
        }, "relay");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static Experiment experiment(String name, String body) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, "apiVersion: blastradius/v1\nkind: Experiment\nmetadata: { name: " + name + ", title: " + name + " }\n" + body);
        return new ExperimentLoader().load(file);
    }

    @Test
    void theExperimentsVerdictsOnKubernetesAreTheVerdictsOfTheirReplica() throws Exception {
        // the api's bounds are 1 s and 99 %, not the catalog's 250 ms and 99.9 %: a CI machine's two cores also carry this
        // test's relays and the mock API server, and a leak of the 2 s delay or of the exceptions would still be far past them
        Experiment authLatency = experiment("k8s-auth-latency", """
                traffic:
                  - { route: api,   rate: 40/s }
                  - { route: login, rate: 4/s }
                phases: { warmup: 2s, baseline: 4s, fault: 5s, recovery: 3s }
                faults:
                  - { target: gateway->auth-service, latency: { delay: 2s } }
                hypotheses:
                  - { name: api-unaffected, route: api, during: [baseline, fault, recovery], success-rate: ">= 99%", p99: "<= 1s" }
                  - { name: login-fails-fast, route: login, during: [fault], p99: "<= 2.5s", failures: graceful }
                  - { name: the-toxic-took, route: login, during: [fault], success-rate: "<= 50%" }
                expect: pass
                """);
        Experiment authExceptions = experiment("k8s-auth-exceptions", """
                traffic:
                  - { route: api,   rate: 40/s }
                  - { route: login, rate: 4/s }
                phases: { warmup: 2s, baseline: 3s, fault: 4s, recovery: 2s }
                faults:
                  - { target: auth-service, app-exception: { level: 1 } }
                hypotheses:
                  - { name: api-unaffected, route: api, during: [baseline, fault, recovery], success-rate: ">= 99%" }
                  - { name: login-fails-gracefully, route: login, during: [fault], failures: graceful }
                  - { name: the-monkey-took, route: login, during: [fault], success-rate: "<= 50%" }
                expect: pass
                """);
        // the negative control: a fault the public API does depend on must be seen through the same forwards
        Experiment control = experiment("k8s-control-inference-latency", """
                traffic:
                  - { route: api, rate: 40/s }
                phases: { warmup: 2s, baseline: 3s, fault: 4s, recovery: 1s }
                faults:
                  - { target: gateway->inference-stub, latency: { delay: 500ms } }
                hypotheses:
                  - { name: api-unaffected, route: api, during: [fault], p99: "<= 250ms" }
                expect: deviation
                """);
        KubernetesEnvironmentProvider provider = new KubernetesEnvironmentProvider(cluster.server::createClient, MockCluster.FAST,
                KubernetesRunIT::toLocalReplica);
        StringWriterConsole console = new StringWriterConsole();
        Suite suite = new Suite(new Suite.Settings(MockCluster.home(), work.resolve("suite"), provider,
                Map.of(KubernetesEnvironmentProvider.NAMESPACE, MockCluster.NAMESPACE), false, 7L), console.writer(),
                new io.blastradius.engine.RunListener() { });
        RunResult latency;
        RunResult exceptions;
        RunResult negative;
        try {
            latency = suite.run(authLatency);
            exceptions = suite.run(authExceptions);
            negative = suite.run(control);
        } finally {
            suite.finish();
        }

        assertThat(latency.environment()).isEqualTo("kubernetes");
        assertThat(latency.verdict()).as(console.text()).isEqualTo(Verdict.PASSED);
        assertThat(exceptions.verdict()).as(console.text()).isEqualTo(Verdict.PASSED);
        assertThat(negative.verdict()).as(console.text()).isEqualTo(Verdict.DEVIATED);
        assertThat(negative.gatePassed()).as("the negative control's gate: it deviated, as expected").isTrue();
        // every fault undone on the real fault proxy, and Chaos Monkey off, through the forwards
        String proxies = HttpClient.newHttpClient().send(HttpRequest.newBuilder(replica.info().faultProxyUrl().resolve("/proxies")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(proxies).doesNotContain("\"type\":\"latency\"").doesNotContain("\"enabled\":false");
    }

    /** The suite's console, kept to show when a verdict is not the expected one. */
    static final class StringWriterConsole {
        private final java.io.StringWriter text = new java.io.StringWriter();
        private final PrintWriter writer = new PrintWriter(text, true);

        PrintWriter writer() {
            return writer;
        }

        String text() {
            return text.toString();
        }
    }
}
