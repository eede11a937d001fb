package io.blastradius.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blastradius.experiment.Hop;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/ checked offline: each overlay rendered by kubectl kustomize, every object valid against the
 * Kubernetes schema (a typo or an unknown kind fails, shown by fixtures), and the wiring the experiments
 * rely on: every hop through the fault proxy, the public path free of auth and Redis, only the gateway's
 * http port open to other namespaces, probes on the management port, non-root pods with memory limits.
 * No cluster runs here: this proves the manifests, not a deployment (README, Kubernetes).
 */
class ManifestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path K8S = Path.of("").toAbsolutePath();
    private static final String VERSION = System.getProperty("blastradius.version", "0.1.0-SNAPSHOT");

    private static Kustomize kustomize;
    private static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();

    @BeforeAll
    static void kubectl() {
        kustomize = Kustomize.require();
    }

    static List<JsonNode> overlay(String name) throws IOException {
        List<JsonNode> objects = RENDERED.get(name);
        if (objects == null) {
            objects = kustomize.render(K8S.resolve("overlays").resolve(name)).stream().map(o -> (JsonNode) JSON.valueToTree(o)).toList();
            RENDERED.put(name, objects);
        }
        return objects;
    }

    static JsonNode object(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static JsonNode container(List<JsonNode> objects, String deployment) {
        return object(objects, "Deployment", deployment).path("spec").path("template").path("spec").path("containers").get(0);
    }

    /** The container's arguments and the names and values of its environment, as one text to search. */
    static String settings(JsonNode container) {
        return container.path("args").toString() + container.path("env").toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"decoupled", "coupled"})
    void everyObjectOfEveryOverlayIsValidAgainstTheKubernetesSchema(String name) throws IOException {
        List<Map<String, Object>> objects = kustomize.render(K8S.resolve("overlays").resolve(name));
        List<String> errors = new ArrayList<>();
        objects.forEach(o -> errors.addAll(SchemaCheck.errors(o)));
        assertThat(errors).as("schema errors in overlay %s", name).isEmpty();
        assertThat(objects).as("the replica: 6 Deployments and Services, 2 ConfigMaps, 3 NetworkPolicies").hasSize(17);
        assertThat(objects).allSatisfy(o -> assertThat(o.toString()).contains("blastradius.io/profile=" + name));
    }

    @Test
    void aTypoInAFieldFailsTheCheck() throws IOException {
        List<String> errors = new ArrayList<>();
        kustomize.render(K8S.resolve("src/test/kustomize/typo")).forEach(o -> errors.addAll(SchemaCheck.errors(o)));
        assertThat(errors).singleElement().asString().startsWith("Deployment/gateway: ").contains("replica");
    }

    @Test
    void aKindTheSchemaDoesNotHaveFailsTheCheck() throws IOException {
        List<String> errors = new ArrayList<>();
        kustomize.render(K8S.resolve("src/test/kustomize/unknown-kind")).forEach(o -> errors.addAll(SchemaCheck.errors(o)));
        assertThat(errors).singleElement().asString().contains("ConfigMapp/misspelled").contains("not one the check knows");
    }

    @Test
    void anIntegerPortOrQuantityIsReadAsTheApiServerReadsIt() throws IOException {
        JsonNode deployment = JSON.readTree("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                 "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}},
                  "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 8081}],
                   "readinessProbe": {"httpGet": {"path": "/", "port": 8081}}, "resources": {"requests": {"cpu": 1}}}]}}}}""");
        assertThat(SchemaCheck.raw(deployment)).as("the bare validator flags an int-or-string port and a quantity (the control)").isNotEmpty();
        assertThat(SchemaCheck.raw(SchemaCheck.asTheApiServerReadsIt(deployment))).isEmpty();
        JsonNode service = JSON.readTree("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
                 "spec": {"ports": [{"port": 8080, "targetPort": 8080}]}}""");
        assertThat(SchemaCheck.raw(SchemaCheck.asTheApiServerReadsIt(service))).as("a Service's port stays an integer").isEmpty();
        JsonNode policy = JSON.readTree("""
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "p"},
                 "spec": {"podSelector": {}, "ingress": [{"ports": [{"port": 8080}]}]}}""");
        assertThat(SchemaCheck.raw(SchemaCheck.asTheApiServerReadsIt(policy))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"decoupled", "coupled"})
    void everyHopGoesThroughItsProxyOfTheFaultProxy(String name) throws IOException {
        List<JsonNode> objects = overlay(name);
        JsonNode proxies = JSON.readTree(object(objects, "ConfigMap", "fault-proxy-config").path("data").path("proxies.json").asText());
        JsonNode proxyService = object(objects, "Service", "fault-proxy");
        for (Hop hop : Hop.values()) {
            int listen = hop.proxyPort();
            int upstream = hop.to() == Service.REDIS ? 6379 : 8080;
            JsonNode proxy = StreamSupport.stream(proxies.spliterator(), false).filter(p -> p.path("name").asText().equals(hop.proxyName()))
                    .findFirst().orElseThrow(() -> new AssertionError("no proxy " + hop.proxyName()));
            assertThat(proxy.path("listen").asText()).isEqualTo("0.0.0.0:" + listen);
            assertThat(proxy.path("upstream").asText()).isEqualTo(hop.to().wireName() + ":" + upstream);
            assertThat(proxyService.path("spec").path("ports").findValuesAsText("port")).as("the fault proxy's Service").contains(String.valueOf(listen));
            assertThat(object(objects, "Service", hop.to().wireName()).path("spec").path("ports").findValuesAsText("port")).contains(String.valueOf(upstream));
            String from = settings(container(objects, hop.from().wireName()));
            assertThat(from).as("%s reaches %s through the fault proxy", hop.from().wireName(), hop.to().wireName())
                    .containsAnyOf("fault-proxy:" + listen, "host=fault-proxy\",\"--spring.data.redis.port=" + listen);
            assertThat(from).as("and never directly").doesNotContain("//" + hop.to().wireName() + ":").doesNotContain("host=" + hop.to().wireName());
        }
        assertThat(proxies).hasSize(Hop.values().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"decoupled", "coupled"})
    void thePublicPathNeedsNeitherAuthNorRedis(String name) throws IOException {
        List<JsonNode> objects = overlay(name);
        String stub = settings(container(objects, Service.INFERENCE_STUB.wireName()));
        assertThat(stub).doesNotContain("auth-service").doesNotContain("session-cache").doesNotContain("redis").doesNotContain("fault-proxy:");
        assertThat(container(objects, Service.INFERENCE_STUB.wireName()).path("env").findValuesAsText("key")).containsOnly("management-token");
        String gateway = settings(container(objects, Service.GATEWAY.wireName()));
        assertThat(gateway).as("the gateway checks API keys itself").contains("api-key-hashes");
        assertThat(gateway).doesNotContain("redis").doesNotContain("session-cache");
        if (name.equals("coupled")) {
            assertThat(gateway).as("the coupled gateway verifies keys through auth-service").contains("SPRING_PROFILES_ACTIVE").contains("coupled");
        } else {
            assertThat(gateway).doesNotContain("SPRING_PROFILES_ACTIVE");
        }
    }

    @Test
    void onlyTheGatewaysHttpPortIsOpenToOtherNamespaces() throws IOException {
        List<JsonNode> policies = overlay("decoupled").stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy")).toList();
        assertThat(policies).as("a policy that denies every pod's ingress by default")
                .anySatisfy(p -> {
                    assertThat(p.path("spec").path("podSelector").isEmpty()).isTrue();
                    assertThat(p.path("spec").path("ingress").isMissingNode()).isTrue();
                });
        for (JsonNode policy : policies) {
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                if (rule.path("from").isMissingNode()) {
                    assertThat(policy.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText())
                            .as("a rule open to every source selects the gateway only").isEqualTo("gateway");
                    assertThat(rule.path("ports").findValuesAsText("port")).as("and its http port only").containsExactly("http");
                } else {
                    for (JsonNode source : rule.path("from")) {
                        assertThat(source.fieldNames()).as("every other source is a pod of this namespace").toIterable().containsExactly("podSelector");
                    }
                }
            }
        }
    }

    @Test
    void everyServiceIsProbedOnItsManagementPort() throws IOException {
        List<JsonNode> objects = overlay("decoupled");
        for (Service service : Service.values()) {
            if (!service.isJvm()) {
                continue;
            }
            JsonNode container = container(objects, service.wireName());
            assertThat(container.path("ports").findValuesAsText("name")).contains("management");
            assertThat(StreamSupport.stream(container.path("ports").spliterator(), false)
                    .filter(p -> p.path("name").asText().equals("management")).findFirst().orElseThrow().path("containerPort").asInt()).isEqualTo(8081);
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                assertThat(container.path(probe).path("httpGet").path("port").asText()).as("%s's %s", service.wireName(), probe).isEqualTo("management");
                assertThat(container.path(probe).path("httpGet").path("path").asText()).startsWith("/actuator/health/");
            }
        }
        assertThat(container(objects, "fault-proxy").path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/version");
        assertThat(container(objects, Service.REDIS.wireName()).path("readinessProbe").path("exec").path("command").toString()).contains("ping");
    }

    @Test
    void everyPodRunsAsNonRootWithAMemoryLimitFromTheProjectsImages() throws IOException {
        for (JsonNode deployment : overlay("decoupled").stream().filter(o -> o.path("kind").asText().equals("Deployment")).toList()) {
            String name = deployment.path("metadata").path("name").asText();
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name).isTrue();
            // what PodConstraintsIT runs each image under
            assertThat(pod.path("securityContext").path("runAsUser").asInt()).as(name).isEqualTo(10001);
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as(name).isFalse();
            JsonNode container = pod.path("containers").get(0);
            assertThat(container.path("image").asText()).isEqualTo("blastradius/" + name + ":" + VERSION);
            assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
            assertThat(container.path("securityContext").path("capabilities").path("drop").toString()).as(name).contains("ALL");
            assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
            if (!name.equals(Service.REDIS.wireName())) {
                assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).as("%s's JVM writes to /tmp", name).contains("/tmp");
            } else {
                // redis-server is its image's PID 1: only a shared process namespace lets a pause's SIGSTOP reach it (PodSignalsIT)
                assertThat(pod.path("shareProcessNamespace").asBoolean()).as("Redis's pod shares its process namespace").isTrue();
            }
            assertThat(container.path("resources").path("requests").path("memory").asText()).as(name).isNotEmpty();
            assertThat(container.path("resources").path("limits").path("memory").asText()).as(name).isNotEmpty();
        }
    }
}
