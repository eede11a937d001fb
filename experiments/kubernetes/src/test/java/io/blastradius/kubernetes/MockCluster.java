package io.blastradius.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.internal.WebSocketMessage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * fabric8's mock API server in CRUD mode with the replica of {@code k8s/base} in a namespace (the
 * committed manifests, as they are), the Secret the pods read, and {@link Controllers} writing what a
 * cluster would. Exec and port-forward are not emulated by the mock: a test sets what a pod answers.
 */
final class MockCluster implements AutoCloseable {

    static final String NAMESPACE = "blast";
    static final String TOKEN = "test-management-token";
    /**
     * The waits of most tests: they poll, so they end as soon as the fake controllers are done; the bound is for a
     * cold mock server on a busy machine.
     */
    static final Replica.Timeouts FAST = new Replica.Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(30));
    /** The waits of a test that waits for what never comes (a pod that is never ready). */
    static final Replica.Timeouts SHORT = new Replica.Timeouts(Duration.ofSeconds(6), Duration.ofSeconds(5));
    /** How long a mock pod's forward stays open after its answer. */
    private static final long LINGER_MILLIS = 200;

    final KubernetesMockServer server;
    final KubernetesClient client;
    final Controllers controllers;

    MockCluster() {
        // expectations first (exec, port-forward: what a pod answers), then the in-memory CRUD store; they share the responses
        // concurrent: the fake controllers add what a new pod answers while requests are served
        Map<ServerRequest, Queue<ServerResponse>> responses = new ConcurrentHashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init();
        client = server.createClient();
        controllers = new Controllers(client, NAMESPACE);
    }

    /** A provider of the kubernetes environment on this API server. */
    KubernetesEnvironmentProvider provider() {
        return provider(FAST);
    }

    KubernetesEnvironmentProvider provider(Replica.Timeouts timeouts) {
        return new KubernetesEnvironmentProvider(server::createClient, timeouts);
    }

    /** The checkout: the tests run in experiments/kubernetes. */
    static Path home() {
        return Path.of(System.getProperty("blastradius.home", "../..")).toAbsolutePath().normalize();
    }

    /** Creates every object of k8s/base, and the Secret, in the namespace. */
    MockCluster withReplica() {
        return withReplica(TOKEN);
    }

    /** The same, with the management token the services were given. */
    MockCluster withReplica(String token) {
        for (HasMetadata object : baseObjects(client)) {
            client.resource(object).inNamespace(NAMESPACE).create();
        }
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(Replica.SECRET).endMetadata()
                .addToStringData("management-token", token).addToStringData("redis-password", "r")
                .addToStringData("demo-password", "demo-password").build()).create();
        // the mock keeps stringData as it is; the API server would encode it into data
        var secret = client.secrets().inNamespace(NAMESPACE).withName(Replica.SECRET).get();
        secret.setData(secret.getStringData().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> java.util.Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)))));
        client.secrets().inNamespace(NAMESPACE).resource(secret).update();
        return this;
    }

    static List<HasMetadata> baseObjects(KubernetesClient client) {
        List<HasMetadata> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(home().resolve("k8s/base"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    objects.addAll(client.load(in).items());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return objects;
    }

    /** A kubeconfig in {@code dir} whose current context names the API server at {@code server}. */
    static Path kubeconfig(Path dir, String server) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [ { name: c, cluster: { server: "%s", insecure-skip-tls-verify: true } } ]
                users: [ { name: u, user: { token: t } } ]
                contexts: [ { name: c, context: { cluster: c, user: u } } ]
                current-context: c
                """.formatted(server));
    }

    /** Waits until every Deployment has a ready pod. */
    void awaitPods() {
        new Replica(client, NAMESPACE, FAST).awaitAllReady();
    }

    /** The pod answers this exec of {@code sh -c script} in its container with {@code stdout}, every time. */
    void exec(String pod, String container, String script, String stdout) {
        server.expect().get().withPath(execPath(pod, container, script)).andUpgradeToWebSocket().open(new OutputStreamMessage(stdout), new StatusStreamMessage(0))
                .done().always();
    }

    /** The path of an exec of {@code sh -c script}, as fabric8 writes it (spaces as %20). */
    static String execPath(String pod, String container, String script) {
        return "/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod + "/exec?"
                + Stream.of("sh", "-c", script).map(c -> "command=" + URLEncoder.encode(c, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"))
                + "&container=" + container + "&stdout=true&stderr=true";
    }

    /**
     * A port-forward to the pod's port answers every connection with {@code bytes}, as the API server
     * relays a pod's bytes: first the two port frames of the protocol, then a data frame (channel 0).
     */
    void portForward(String pod, int port, byte[] bytes) {
        byte[] portFrame = {0, (byte) (port & 0xff), (byte) (port >> 8)};
        byte[] errorPortFrame = {1, (byte) (port & 0xff), (byte) (port >> 8)};
        byte[] data = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, data, 1, bytes.length);
        server.expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod + "/portforward?ports=" + port)
                .andUpgradeToWebSocket().open(new WebSocketMessage(0L, portFrame, false, true), new WebSocketMessage(0L, errorPortFrame, false, true),
                        new WebSocketMessage(0L, data, false, true),
                        // an empty data frame later: the mock closes a WebSocket once its last frame is sent, and a close
                        // right behind the data raced with its delivery (a CI run got no answer three times running)
                        new WebSocketMessage(LINGER_MILLIS, new byte[] {0}, false, true))
                .done().always();
    }

    static String names(List<? extends HasMetadata> objects) {
        return Arrays.toString(objects.stream().map(o -> o.getMetadata().getName()).toArray());
    }

    @Override
    public void close() {
        controllers.close();
        client.close();
        server.destroy();
    }
}
