package io.blastradius.kubernetes;

import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.environment.Processes;
import io.blastradius.environment.UnreachableEnvironmentException;
import io.blastradius.experiment.Experiment.ReplicaSpec;
import io.blastradius.experiment.Service;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What goes wrong before or during a run on Kubernetes, each refused in one line that says what to do, in
 * bounded time, with nothing left scaled down or paused: no kubeconfig, an API server that cannot be reached,
 * a namespace without the replica (or with another one), RBAC that forbids a fault's call, an image that
 * never becomes ready.
 */
class KubernetesBadInputTest {

    @TempDir
    Path dir;

    MockCluster cluster;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
    }

    @AfterEach
    void stop() {
        cluster.close();
        System.clearProperty("kubeconfig");
    }

    private EnvironmentRequest request(ReplicaSpec replica, String namespace) {
        return new EnvironmentRequest(MockCluster.home(), dir, replica, 1, Map.of(KubernetesEnvironmentProvider.NAMESPACE, namespace));
    }

    @Test
    void withoutAKubeconfigTheRunIsRefusedBeforeAnythingStarts() {
        System.setProperty("kubeconfig", dir.resolve("no-such-kubeconfig").toString());

        assertThatThrownBy(() -> new KubernetesEnvironmentProvider().validate(request(ReplicaSpec.DEFAULT, "blast")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Cluster.NO_KUBECONFIG)
                .hasMessageContaining("point KUBECONFIG at your cluster's config");
    }

    @Test
    void aNamespaceThatIsNoKubernetesNameIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> cluster.provider().validate(request(ReplicaSpec.DEFAULT, "Blast_Radius")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--namespace 'Blast_Radius' is not a Kubernetes namespace name");
    }

    @Test
    void anApiServerThatCannotBeReachedIsAnErrorSayingSo() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Path kubeconfig = MockCluster.kubeconfig(dir, "https://127.0.0.1:" + closed);
        System.setProperty("kubeconfig", kubeconfig.toString());
        KubernetesEnvironmentProvider provider = new KubernetesEnvironmentProvider();
        provider.validate(request(ReplicaSpec.DEFAULT, "blast"));

        assertThatThrownBy(() -> provider.open(request(ReplicaSpec.DEFAULT, "blast")))
                .isInstanceOf(UnreachableEnvironmentException.class)
                .hasMessageContaining("the API server at https://127.0.0.1:" + closed + "/ cannot be reached")
                .hasMessageContaining("is the cluster up")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aNamespaceWithoutTheReplicaSaysHowToPutItThere() {
        assertThatThrownBy(() -> cluster.provider().open(request(ReplicaSpec.DEFAULT, "empty")))
                .isInstanceOf(EnvironmentException.class)
                .hasMessage("namespace empty has no replica (no Deployment of k8s/ there): apply one with kubectl -n empty apply -k"
                        + " k8s/overlays/decoupled (README \"Kubernetes\"), or run with --deploy");
    }

    @Test
    void aNamespaceWithPartOfTheReplicaNamesWhatIsMissing() {
        cluster.withReplica();
        cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("session-cache").delete();
        assertThatThrownBy(() -> cluster.provider().open(request(ReplicaSpec.DEFAULT, MockCluster.NAMESPACE)))
                .hasMessageContaining("has only part of the replica: no Deployment session-cache");
    }

    @Test
    void aReplicaOfAnotherProfileOrWithoutTheExperimentsPropertiesIsNotAttachedTo() {
        cluster.withReplica();
        // through the retry on conflict: the fake controllers write the Deployment's status meanwhile
        new Replica(cluster.client, MockCluster.NAMESPACE, MockCluster.FAST).editDeployment("gateway", "relabel gateway",
                d -> d.getMetadata().getLabels().put(Replica.PROFILE_LABEL, "decoupled"));
        assertThatThrownBy(() -> cluster.provider().open(request(new ReplicaSpec("coupled", Map.of()), MockCluster.NAMESPACE)))
                .hasMessage("namespace blast runs the decoupled replica and the experiment needs the coupled one: apply k8s/overlays/coupled,"
                        + " or run with --deploy");
        assertThatThrownBy(() -> cluster.provider().open(request(new ReplicaSpec("decoupled",
                Map.of("gateway", Map.of("resilience4j.timelimiter.instances.auth.timeout-duration", "1s"))), MockCluster.NAMESPACE)))
                .hasMessageContaining("the experiment sets properties of gateway, which a replica already running in namespace blast does not have:"
                        + " run with --deploy");
        assertThatThrownBy(() -> cluster.provider().open(request(new ReplicaSpec("decoupled", Map.of("redis", Map.of("appendonly", "yes"))),
                MockCluster.NAMESPACE)))
                .hasMessageStartingWith("the kubernetes environment does not take Redis settings (replica.properties.redis)")
                .hasMessageEndingWith("run this experiment with --env local");
    }

    @Test
    void anImageThatNeverBecomesReadyIsAnErrorNamingWhyWithinTheWait() {
        cluster.controllers.neverReady("gateway");
        cluster.withReplica();

        assertThatThrownBy(() -> cluster.provider(MockCluster.SHORT).open(request(ReplicaSpec.DEFAULT, MockCluster.NAMESPACE)))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("the replica in namespace blast was not ready within 6 s; not ready: gateway (gateway-")
                .hasMessageContaining("gateway waiting: ImagePullBackOff (Back-off pulling image \"blastradius/gateway:0.1.0-SNAPSHOT\")");
    }

    @Test
    void rbacThatForbidsDeletingPodsFailsTheCrashInOneLineAndChangesNothing() {
        cluster.withReplica().awaitPods();
        try (var environment = cluster.provider().open(request(ReplicaSpec.DEFAULT, MockCluster.NAMESPACE))) {
            String pod = cluster.client.pods().inNamespace(MockCluster.NAMESPACE).withLabel(Replica.NAME_LABEL, "auth-service").list()
                    .getItems().get(0).getMetadata().getName();
            cluster.server.expect().delete().withPath("/api/v1/namespaces/blast/pods?labelSelector=app.kubernetes.io%2Fname%3Dauth-service")
                    .andReturn(403, forbidden("pods is forbidden: User \"ci\" cannot delete resource \"pods\" in API group \"\" in the namespace \"blast\""))
                    .always();

            assertThatThrownBy(() -> environment.processes().orElseThrow().kill(Service.AUTH_SERVICE))
                    .isInstanceOf(EnvironmentException.class)
                    .hasMessageStartingWith("could not delete the pods of blast/auth-service: forbidden by the cluster's RBAC (403: pods is forbidden:"
                            + " User \"ci\" cannot delete resource \"pods\"")
                    .hasMessageContaining("delete on pods");
            assertThat(cluster.client.pods().inNamespace(MockCluster.NAMESPACE).withName(pod).get()).isNotNull();
        }
    }

    @Test
    void rbacThatForbidsExecFailsThePauseAndLeavesNothingPaused() {
        cluster.withReplica().awaitPods();
        try (var environment = cluster.provider().open(request(ReplicaSpec.DEFAULT, MockCluster.NAMESPACE))) {
            String pod = cluster.client.pods().inNamespace(MockCluster.NAMESPACE).withLabel(Replica.NAME_LABEL, "session-cache").list()
                    .getItems().get(0).getMetadata().getName();
            cluster.exec(pod, "session-cache", Replica.signalScript(Service.SESSION_CACHE, "state"), "S\n");
            cluster.server.expect().get().withPath(MockCluster.execPath(pod, "session-cache", Replica.signalScript(Service.SESSION_CACHE, "stop")))
                    .andReturn(403, forbidden("pods \"" + pod + "\" is forbidden: User \"ci\" cannot create resource \"pods/exec\""))
                    .always();
            Processes processes = environment.processes().orElseThrow();

            assertThatThrownBy(() -> processes.pause(Service.SESSION_CACHE))
                    .isInstanceOf(EnvironmentException.class)
                    .hasMessageContaining("could not run a command in pod blast/" + pod)
                    .hasMessageContaining("403");
            assertThat(processes.state(Service.SESSION_CACHE)).isEqualTo(Processes.State.RUNNING);
        }
    }

    @Test
    void rbacThatForbidsTheScaleFailsTheStopAndLeavesTheDeploymentAsItWas() {
        cluster.withReplica().awaitPods();
        try (var environment = cluster.provider().open(request(ReplicaSpec.DEFAULT, MockCluster.NAMESPACE))) {
            cluster.server.expect().patch().withPath("/apis/apps/v1/namespaces/blast/deployments/inference-stub")
                    .andReturn(403, forbidden("deployments.apps \"inference-stub\" is forbidden: User \"ci\" cannot patch resource \"deployments\""))
                    .always();

            assertThatThrownBy(() -> environment.processes().orElseThrow().stop(Service.INFERENCE_STUB))
                    .hasMessageStartingWith("could not scale inference-stub to 0: forbidden by the cluster's RBAC");
            var deployment = cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("inference-stub").get();
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
            assertThat(deployment.getMetadata().getAnnotations()).doesNotContainKey(PodProcesses.REPLICAS_BEFORE_STOP);
        }
    }

    @Test
    void aStopThatMeetsAConflictReadsTheDeploymentAgainAndGivesUpOnlyAfterSeveral() throws InterruptedException {
        cluster.withReplica().awaitPods();
        String path = "/apis/apps/v1/namespaces/blast/deployments/inference-stub";
        try (var environment = cluster.provider().open(request(ReplicaSpec.DEFAULT, MockCluster.NAMESPACE))) {
            Processes processes = environment.processes().orElseThrow();
            cluster.server.expect().patch().withPath(path).andReturn(409, conflict("inference-stub")).times(2);

            processes.stop(Service.INFERENCE_STUB);
            var stopped = cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("inference-stub").get();
            assertThat(stopped.getSpec().getReplicas()).isZero();
            assertThat(stopped.getMetadata().getAnnotations()).containsEntry(PodProcesses.REPLICAS_BEFORE_STOP, "1");
            processes.start(Service.INFERENCE_STUB);

            // the control: a conflict every time is an error, after as many tries, and the Deployment is as it was
            while (cluster.server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
                // what came before
            }
            cluster.server.expect().patch().withPath(path).andReturn(409, conflict("inference-stub")).always();
            assertThatThrownBy(() -> processes.stop(Service.INFERENCE_STUB))
                    .hasMessage("could not scale inference-stub to 0: it kept changing under the write (409 Conflict, 5 tries, each on a fresh read):"
                            + " is something else editing it, such as another run or a GitOps controller?");
            var unchanged = cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("inference-stub").get();
            assertThat(unchanged.getSpec().getReplicas()).isEqualTo(1);
            long patches = 0;
            for (var r = cluster.server.takeRequest(1, TimeUnit.MILLISECONDS); r != null; r = cluster.server.takeRequest(1, TimeUnit.MILLISECONDS)) {
                patches += "PATCH".equals(r.getMethod()) && r.getPath().equals(path) ? 1 : 0;
            }
            assertThat(patches).as("patches refused before giving up").isEqualTo(Replica.CONFLICT_TRIES);
        }
    }

    private static String conflict(String deployment) {
        return io.fabric8.kubernetes.client.utils.Serialization.asJson(new StatusBuilder().withStatus("Failure").withReason("Conflict")
                .withCode(409).withMessage("Operation cannot be fulfilled on deployments.apps \"" + deployment
                        + "\": the object has been modified; please apply your changes to the latest version and try again").build());
    }

    private static String forbidden(String message) {
        return io.fabric8.kubernetes.client.utils.Serialization.asJson(new StatusBuilder().withStatus("Failure").withReason("Forbidden")
                .withCode(403).withMessage(message).build());
    }
}
