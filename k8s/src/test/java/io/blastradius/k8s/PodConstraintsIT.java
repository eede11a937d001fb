package io.blastradius.k8s;

import com.github.dockerjava.api.model.Capability;
import io.blastradius.containers.DockerOrSkip;
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
import java.time.Duration;
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

    /** What the pods' security contexts and their /tmp emptyDir amount to, as Docker options. */
    static GenericContainer<?> asThePodRunsIt(String image) {
        return new GenericContainer<>(image).withTmpFs(Map.of("/tmp", "rw,size=64m"))
                .withStartupTimeout(Duration.ofSeconds(150))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withUser("10001:10001");
                    cmd.getHostConfig().withReadonlyRootfs(true).withCapDrop(Capability.ALL).withSecurityOpts(List.of("no-new-privileges"));
                });
    }

    /** proxies.json of the ConfigMap fault-proxy-config in k8s/base/config.yaml. */
    @SuppressWarnings("unchecked")
    static String faultProxyConfig() throws IOException {
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(Path.of("base/config.yaml")))) {
            Map<String, Object> object = (Map<String, Object>) document;
            if ("fault-proxy-config".equals(((Map<String, Object>) object.get("metadata")).get("name"))) {
                return (String) ((Map<String, Object>) object.get("data")).get("proxies.json");
            }
        }
        throw new AssertionError("no ConfigMap fault-proxy-config in k8s/base/config.yaml");
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
        // the arguments of its Deployment (the upstreams need not answer for the service to be live)
        List<String> args = switch (service) {
            case GATEWAY -> List.of("--blastradius.gateway.auth-service-url=http://fault-proxy:8666",
                    "--blastradius.gateway.inference-stub-url=http://fault-proxy:8667", "--blastradius.gateway.api-key-hashes=" + "0".repeat(64));
            case AUTH_SERVICE -> List.of("--blastradius.auth.session-cache-url=http://fault-proxy:8668", "--blastradius.auth.api-key-hashes=" + "0".repeat(64));
            case SESSION_CACHE -> List.of("--spring.data.redis.host=fault-proxy", "--spring.data.redis.port=8669");
            default -> List.of();
        };
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
        try (GenericContainer<?> redis = asThePodRunsIt(Images.of(Service.REDIS)).withEnv("REDIS_PASSWORD", "pod-constraints")) {
            redis.start();
            // the readiness probe of k8s/base/redis.yaml
            assertThat(redis.execInContainer("sh", "-c", "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli -p 6379 ping | grep -q PONG").getExitCode()).isZero();
            cannotWriteOutsideTmp(redis);
        }
    }

    @Test
    void theFaultProxyCreatesTheConfigMapsProxiesUnderItsPodsSecurityContext(@TempDir Path tmp) throws Exception {
        // the ConfigMap's file, mounted read-only where k8s/base/fault-proxy.yaml mounts it
        Path proxies = Files.createTempFile(tmp, "proxies", ".json");
        Files.writeString(proxies, faultProxyConfig());
        // a ConfigMap volume's files are 0644 (defaultMode): readable by the pod's uid
        Files.setPosixFilePermissions(proxies, PosixFilePermissions.fromString("rw-r--r--"));
        try (GenericContainer<?> proxy = asThePodRunsIt(Images.FAULT_PROXY)
                .withFileSystemBind(proxies.toString(), "/etc/fault-proxy/proxies.json", BindMode.READ_ONLY)
                .withCommand("-config", "/etc/fault-proxy/proxies.json")
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
