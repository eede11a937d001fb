package io.blastradius.kubernetes;

import io.blastradius.environment.Change;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.environment.Processes;
import io.blastradius.experiment.Experiment.ReplicaSpec;
import io.blastradius.experiment.Service;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kubernetes environment against fabric8's mock API server in CRUD mode: every call it makes, with the
 * statuses a cluster's controllers would write set by {@link Controllers}. The mock runs no controller,
 * kubelet or pod: these tests prove the calls and what the environment makes of the answers, not a cluster.
 */
class KubernetesEnvironmentTest {

    @TempDir
    Path runDir;

    MockCluster cluster;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private EnvironmentRequest request(ReplicaSpec replica, Map<String, String> parameters) {
        return new EnvironmentRequest(MockCluster.home(), runDir, replica, 1, parameters);
    }

    private Environment attach() {
        cluster.withReplica().awaitPods();
        return cluster.provider().open(request(ReplicaSpec.DEFAULT, Map.of(KubernetesEnvironmentProvider.NAMESPACE, MockCluster.NAMESPACE)));
    }

    private Deployment deployment(String name) {
        return cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).withName(name).get();
    }

    private List<Pod> pods(String deployment) {
        return cluster.client.pods().inNamespace(MockCluster.NAMESPACE).withLabel(Replica.NAME_LABEL, deployment).list().getItems();
    }

    @Test
    void theGatewayIsReachedThroughAPortForwardThatFollowsItsPodAcrossACrash() throws Exception {
        cluster.controllers.onCreate(pod -> cluster.portForward(pod.getMetadata().getName(), KubernetesEnvironment.HTTP,
                response(pod.getMetadata().getName())));
        try (Environment environment = attach()) {
            String first = pods("gateway").get(0).getMetadata().getName();
            assertThat(get(environment.endpoints().gatewayUrl())).isEqualTo(first);

            environment.processes().orElseThrow().kill(Service.GATEWAY);
            // the Deployment's controller (here: Controllers) starts a new pod; the forward's next connection goes to it
            new Replica(cluster.client, MockCluster.NAMESPACE, MockCluster.FAST).awaitReady("gateway");
            String second = pods("gateway").get(0).getMetadata().getName();
            assertThat(second).isNotEqualTo(first);
            assertThat(get(environment.endpoints().gatewayUrl())).isEqualTo(second);
            assertThat(environment.endpoints().gatewayUrl().getHost()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void aCrashDeletesThePodsWithNoGracePeriod() throws Exception {
        try (Environment environment = attach()) {
            String before = pods("auth-service").get(0).getMetadata().getName();
            while (cluster.server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
                // what came before the crash
            }
            environment.processes().orElseThrow().kill(Service.AUTH_SERVICE);
            boolean sawDelete = false;
            for (var request = cluster.server.takeRequest(1, TimeUnit.MILLISECONDS); request != null;
                 request = cluster.server.takeRequest(1, TimeUnit.MILLISECONDS)) {
                if ("DELETE".equals(request.getMethod()) && request.getPath().contains("labelSelector")) {
                    assertThat(request.getPath()).startsWith("/api/v1/namespaces/blast/pods?").contains("labelSelector=app.kubernetes.io%2Fname%3Dauth-service");
                    assertThat(request.getBody().readUtf8()).contains("\"gracePeriodSeconds\":0");
                    sawDelete = true;
                }
            }
            assertThat(sawDelete).as("a DELETE of the pods").isTrue();
            assertThat(pods("auth-service")).noneMatch(p -> p.getMetadata().getName().equals(before));
        }
    }

    @Test
    void aStopScalesToZeroAndARollbackFromAnotherProcessScalesItBack() {
        Environment environment = attach();
        environment.processes().orElseThrow().stop(Service.AUTH_SERVICE);
        assertThat(deployment("auth-service").getSpec().getReplicas()).isZero();
        assertThat(deployment("auth-service").getMetadata().getAnnotations()).containsEntry(PodProcesses.REPLICAS_BEFORE_STOP, "1");
        assertThat(pods("auth-service")).isEmpty();
        // the run is killed here: nothing undoes the stop but the journal's change, in another process
        var ref = environment.reattach();
        environment.close();

        assertThat(ref.provider()).isEqualTo("kubernetes");
        try (Environment again = cluster.provider().reattach(ref.parameters())) {
            assertThat(again.processes().orElseThrow().state(Service.AUTH_SERVICE)).isEqualTo(Processes.State.GONE);
            assertThat(new Change.ProcessStopped(Service.AUTH_SERVICE).undo(again)).isEqualTo("restarted auth-service");
        }
        assertThat(deployment("auth-service").getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment("auth-service").getMetadata().getAnnotations()).doesNotContainKey(PodProcesses.REPLICAS_BEFORE_STOP);
        assertThat(pods("auth-service")).hasSize(1);
    }

    @Test
    void aPauseSendsSigstopToTheServicesOwnProcessThroughExecAndAResumeSendsSigcont() {
        try (Environment environment = attach()) {
            Processes processes = environment.processes().orElseThrow();
            String pod = pods("session-cache").get(0).getMetadata().getName();
            cluster.exec(pod, "session-cache", Replica.signalScript(Service.SESSION_CACHE, "stop"), "stopped 7\n");
            cluster.exec(pod, "session-cache", Replica.signalScript(Service.SESSION_CACHE, "continue"), "continued 7\n");
            processes.pause(Service.SESSION_CACHE);

            cluster.exec(pod, "session-cache", Replica.signalScript(Service.SESSION_CACHE, "state"), "T\n");
            assertThat(processes.state(Service.SESSION_CACHE)).isEqualTo(Processes.State.PAUSED);
            assertThat(new Change.ProcessPaused(Service.SESSION_CACHE).undo(environment)).isEqualTo("continued paused session-cache");
        }
        // the JVM, not PID 1 (tini): found by its name in /proc
        assertThat(Replica.signalScript(Service.SESSION_CACHE, "stop")).contains("= java ]").contains("kill -STOP $p").doesNotContain("kill -STOP 1");
        assertThat(Replica.signalScript(Service.REDIS, "stop")).contains("= redis-server ]");
    }

    @Test
    void aRestartIsARolloutRestartAwaitedUntilTheNewPodIsReady() {
        try (Environment environment = attach()) {
            String before = pods("inference-stub").get(0).getMetadata().getName();
            environment.processes().orElseThrow().restart(Service.INFERENCE_STUB);
            assertThat(deployment("inference-stub").getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsKey("kubectl.kubernetes.io/restartedAt");
            assertThat(pods("inference-stub")).hasSize(1).noneMatch(p -> p.getMetadata().getName().equals(before));
        }
    }

    @Test
    void theResetFlushesRedisInItsPod() {
        try (Environment environment = attach()) {
            String pod = pods("redis").get(0).getMetadata().getName();
            cluster.exec(pod, "redis", "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli FLUSHALL", "OK\n");
            assertThat(environment.reset().orElseThrow().clearState()).isEmpty();
        }
    }

    @Test
    void theResetFailsWhenRedisDoesNotSayOk() {
        try (Environment environment = attach()) {
            String pod = pods("redis").get(0).getMetadata().getName();
            cluster.exec(pod, "redis", "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli FLUSHALL", "NOAUTH Authentication required.\n");
            assertThatThrownBy(() -> environment.reset().orElseThrow().clearState()).isInstanceOf(EnvironmentException.class)
                    .hasMessageContaining("NOAUTH");
        }
    }

    /** A canned HTTP response whose body is the pod's name. */
    private static byte[] response(String body) {
        return ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The body of the answer a connection to the URL gets. (The mock's pods answer as soon as a forward
     * opens, and the mock closes a WebSocket that sends it what it does not expect: nothing is sent.) The
     * mock also closes the WebSocket once it has sent its last frame, which {@link MockCluster#portForward}
     * sends a moment after the answer; a real API server keeps it open while the pod's connection is. Up to
     * three connections are made all the same.
     */
    private static String get(URI url) throws IOException {
        String body = "";
        for (int attempt = 0; attempt < 3 && body.isEmpty(); attempt++) {
            body = getOnce(url);
        }
        return body;
    }

    private static String getOnce(URI url) throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            int length = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                answer.append((char) b);
                int end = answer.indexOf("\r\n\r\n");
                if (end >= 0 && length < 0) {
                    String headers = answer.substring(0, end);
                    int at = headers.indexOf("Content-Length: ");
                    length = Integer.parseInt(headers.substring(at + 16, headers.indexOf("\r\n", at)).trim());
                }
                if (length >= 0 && answer.length() - answer.indexOf("\r\n\r\n") - 4 == length) {
                    break;
                }
            }
            int headersEnd = answer.indexOf("\r\n\r\n");
            return headersEnd < 0 ? "" : answer.substring(headersEnd + 4);
        }
    }
}
