package io.blastradius.k8s;

import io.blastradius.containers.DockerOrSkip;
import static io.blastradius.containers.AsPods.asThePodRunsIt;
import io.blastradius.containers.Images;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's images run as the pods of k8s/ run them (ManifestsTest holds the manifests to these
 * settings): uid 10001, a read-only root with only /tmp writable, every capability dropped, no new
 * privileges. No cluster runs here, so Docker stands in for the kubelet: each service must come up to a
 * live actuator, Redis must answer, the fault proxy must create its proxies from the ConfigMap's file; and
 * none of them can write outside /tmp (the control that the root really is read-only).
 */
class PodConstraintsIT {

    @BeforeAll
    static void images() {
        DockerOrSkip.requireImages();
    }

    static List<Map<String, Object>> objects(String file) throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(Path.of("base", file)))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) document;
            objects.add(object);
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    static <T> T field(Map<String, Object> object, String... path) {
        Object node = object;
        for (String key : path) {
            node = ((Map<String, Object>) node).get(key);
        }
        return (T) node;
    }

    /** A key of a ConfigMap in k8s/base/config.yaml. */
    static String configMap(String name, String key) throws IOException {
        return objects("config.yaml").stream().filter(o -> name.equals(field(o, "metadata", "name"))).findFirst()
                .map(o -> field(o, "data", key).toString()).orElseThrow(() -> new AssertionError("no ConfigMap " + name + " in k8s/base/config.yaml"));
    }

    /** The arguments of the Deployment in k8s/base/{name}.yaml, with $(API_KEY_HASHES) as the ConfigMap gives it. */
    static List<String> args(String name) throws IOException {
        Map<String, Object> deployment = objects(name + ".yaml").stream().filter(o -> "Deployment".equals(o.get("kind"))).findFirst().orElseThrow();
        List<Map<String, Object>> containers = field(deployment, "spec", "template", "spec", "containers");
        List<String> args = containers.get(0).get("args") == null ? List.of() : field(containers.get(0), "args");
        String hashes = configMap("blastradius-config", "api-key-hashes");
        return args.stream().map(a -> a.replace("$(API_KEY_HASHES)", hashes)).toList();
    }

    static void cannotWriteOutsideTmp(GenericContainer<?> container) throws Exception {
        // /var/tmp is writable by every user on a writable root: only a read-only root refuses it
        assertThat(container.execInContainer("test", "-d", "/var/tmp").getExitCode()).as("/var/tmp exists").isZero();
        assertThat(container.execInContainer("touch", "/var/tmp/probe").getExitCode()).as("the root is read-only").isNotZero();
        assertThat(container.execInContainer("sh", "-c", "touch /tmp/probe").getExitCode()).as("/tmp is writable").isZero();
        assertThat(container.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10001");
    }

    @ParameterizedTest
    @EnumSource(value = Service.class, names = {"GATEWAY", "AUTH_SERVICE", "SESSION_CACHE", "INFERENCE_STUB"})
    void aServiceStartsUnderItsPodsSecurityContext(Service service) throws Exception {
        // the arguments of its Deployment in k8s/base (the upstreams need not answer for the service to be live)
        List<String> args = args(service.wireName());
        try (GenericContainer<?> container = asThePodRunsIt(Images.of(service))
                .withEnv("BLASTRADIUS_MANAGEMENT_TOKEN", "pod-constraints")
                .withEnv("BLASTRADIUS_AUTH_DEMO_PASSWORD", "demo-password")
                .withEnv("SPRING_DATA_REDIS_PASSWORD", "pod-constraints")
                .withCommand(args.toArray(String[]::new))
                .withExposedPorts(8081)
                .waitingFor(Wait.forHttp("/actuator/health/liveness").forPort(8081).forStatusCode(200))) {
            container.start();
            cannotWriteOutsideTmp(container);
        }
    }

    @Test
    void redisAnswersUnderItsPodsSecurityContext() throws Exception {
        try (GenericContainer<?> redis = asThePodRunsIt(Images.of(Service.REDIS)).withEnv("REDIS_PASSWORD", "pod-constraints")
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1))) {
            redis.start();
            // the readiness probe of k8s/base/redis.yaml
            assertThat(redis.execInContainer("sh", "-c", "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli -p 6379 ping | grep -q PONG").getExitCode()).isZero();
            cannotWriteOutsideTmp(redis);
        }
    }

    @Test
    void theFaultProxyCreatesTheConfigMapsProxiesUnderItsPodsSecurityContext(@TempDir Path tmp) throws Exception {
        // the ConfigMap's file, mounted read-only where k8s/base/fault-proxy.yaml mounts it, and its arguments
        Path proxies = Files.createTempFile(tmp, "proxies", ".json");
        Files.writeString(proxies, configMap("fault-proxy-config", "proxies.json"));
        List<String> args = args("fault-proxy");
        assertThat(args).as("the fault proxy reads the mounted file").containsExactly("-config", "/etc/fault-proxy/proxies.json");
        // a ConfigMap volume's files are 0644 (defaultMode): readable by the pod's uid
        Files.setPosixFilePermissions(proxies, PosixFilePermissions.fromString("rw-r--r--"));
        try (GenericContainer<?> proxy = asThePodRunsIt(Images.FAULT_PROXY)
                .withFileSystemBind(proxies.toString(), args.get(1), BindMode.READ_ONLY)
                .withCommand(args.toArray(String[]::new))
                .withExposedPorts(8474)
                .waitingFor(Wait.forHttp("/version").forPort(8474).forStatusCode(200))) {
            proxy.start();
            URI api = URI.create("http://" + proxy.getHost() + ":" + proxy.getMappedPort(8474) + "/proxies");
            String listed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(listed).contains("gateway-to-auth-service", "gateway-to-inference-stub", "auth-service-to-session-cache", "session-cache-to-redis");
            cannotWriteOutsideTmp(proxy);
        }
    }
}
