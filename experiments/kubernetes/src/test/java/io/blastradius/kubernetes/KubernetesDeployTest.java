package io.blastradius.kubernetes;

import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.experiment.Experiment.ReplicaSpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --deploy}: the overlay of the experiment's profile rendered by kubectl kustomize (the one
 * {@code .ci/run} fetches), the experiment's properties added, the Secret made, everything applied
 * (server-side apply) into a namespace it creates, and deleted at the end, against the mock API server.
 */
class KubernetesDeployTest {

    @TempDir
    Path dir;

    MockCluster cluster;

    @BeforeAll
    static void kubectl() {
        try {
            Process version = new ProcessBuilder(Manifests.kubectl(), "version", "--client").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            if (version.waitFor() == 0) {
                return;
            }
        } catch (IOException e) {
            // below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String line = "no kubectl to render k8s/ with (" + Manifests.kubectl() + "): KUBECTL=$(k8s/fetch-kubectl) ./mvnw verify";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true: " + line);
        }
        System.out.println("[skip] " + line);
        Assumptions.abort(line);
    }

    @BeforeEach
    void start() {
        cluster = new MockCluster();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void theOverlayOfTheProfileIsAppliedWithTheExperimentsPropertiesAndDeletedAtTheEnd() {
        ReplicaSpec coupled = new ReplicaSpec("coupled", Map.of("gateway", Map.of("resilience4j.timelimiter.instances.auth.timeout-duration", "1s")));
        EnvironmentRequest request = new EnvironmentRequest(MockCluster.home(), dir, coupled, 1,
                Map.of(KubernetesEnvironmentProvider.NAMESPACE, MockCluster.NAMESPACE, KubernetesEnvironmentProvider.DEPLOY, "true"));

        try (Environment environment = cluster.provider().open(request)) {
            var gateway = cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("gateway").get();
            var container = gateway.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getArgs()).contains("--resilience4j.timelimiter.instances.auth.timeout-duration=1s")
                    .contains("--blastradius.gateway.auth-service-url=http://fault-proxy:8666");
            assertThat(container.getEnv()).anyMatch(e -> e.getName().equals("SPRING_PROFILES_ACTIVE") && e.getValue().equals("coupled"));
            assertThat(gateway.getMetadata().getLabels()).containsEntry(Replica.PROFILE_LABEL, "coupled");
            assertThat(cluster.client.namespaces().withName(MockCluster.NAMESPACE).get()).isNotNull();
            var secret = cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).withName(Replica.SECRET).get();
            assertThat(secret.getData()).containsKeys("management-token", "redis-password")
                    .containsEntry("demo-password", Base64.getEncoder().encodeToString("demo-password".getBytes(StandardCharsets.UTF_8)));
            assertThat(Base64.getDecoder().decode(secret.getData().get("management-token"))).hasSizeGreaterThanOrEqualTo(24);
            assertThat(cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).list().getItems()).hasSize(6);
            assertThat(environment.reattach().parameters()).containsEntry(KubernetesEnvironmentProvider.NAMESPACE, MockCluster.NAMESPACE);
        }
        assertThat(cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).list().getItems()).isEmpty();
        assertThat(cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).list().getItems()).isEmpty();
        assertThat(cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).withName(Replica.SECRET).get()).isNull();
        assertThat(cluster.client.namespaces().withName(MockCluster.NAMESPACE).get()).as("the namespace it made").isNull();
    }

    @Test
    void aNamespaceAndSecretSomeoneElseMadeStay() {
        cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(MockCluster.NAMESPACE).endMetadata().build()).create();
        cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(Replica.SECRET)
                .endMetadata().addToData("management-token", Base64.getEncoder().encodeToString("theirs".getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        EnvironmentRequest request = new EnvironmentRequest(MockCluster.home(), dir, ReplicaSpec.DEFAULT, 1,
                Map.of(KubernetesEnvironmentProvider.NAMESPACE, MockCluster.NAMESPACE, KubernetesEnvironmentProvider.DEPLOY, "true"));

        cluster.provider().open(request).close();

        assertThat(cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).list().getItems()).isEmpty();
        assertThat(cluster.client.namespaces().withName(MockCluster.NAMESPACE).get()).isNotNull();
        assertThat(cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).withName(Replica.SECRET).get().getData())
                .containsEntry("management-token", Base64.getEncoder().encodeToString("theirs".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anImageThatNeverBecomesReadyLeavesNothingApplied() {
        cluster.controllers.neverReady("inference-stub");
        EnvironmentRequest request = new EnvironmentRequest(MockCluster.home(), dir, ReplicaSpec.DEFAULT, 1,
                Map.of(KubernetesEnvironmentProvider.NAMESPACE, MockCluster.NAMESPACE, KubernetesEnvironmentProvider.DEPLOY, "true"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cluster.provider(MockCluster.SHORT).open(request))
                .hasMessageContaining("not ready: inference-stub (inference-stub-")
                .hasMessageContaining("ImagePullBackOff");
        assertThat(cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void aNamespaceStillBeingDeletedIsWaitedForAndMadeAgain() throws Exception {
        // the run before deleted it (a suite's second profile); a real API server refuses objects in it until it is gone
        var terminating = new NamespaceBuilder().withNewMetadata().withName(MockCluster.NAMESPACE).endMetadata()
                .withNewStatus().withPhase("Terminating").endStatus().build();
        cluster.client.namespaces().resource(terminating).create();
        assertThat(cluster.client.namespaces().withName(MockCluster.NAMESPACE).get().getStatus().getPhase()).isEqualTo("Terminating");
        Thread gone = new Thread(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            cluster.client.namespaces().withName(MockCluster.NAMESPACE).delete();
        });
        gone.start();
        EnvironmentRequest request = new EnvironmentRequest(MockCluster.home(), dir, ReplicaSpec.DEFAULT, 1,
                Map.of(KubernetesEnvironmentProvider.NAMESPACE, MockCluster.NAMESPACE, KubernetesEnvironmentProvider.DEPLOY, "true"));

        try (Environment environment = cluster.provider().open(request)) {
            var namespace = cluster.client.namespaces().withName(MockCluster.NAMESPACE).get();
            assertThat(namespace).as("made again after the old one went").isNotNull();
            assertThat(namespace.getStatus() == null ? null : namespace.getStatus().getPhase()).isNotEqualTo("Terminating");
        }
        gone.join();
    }
}
