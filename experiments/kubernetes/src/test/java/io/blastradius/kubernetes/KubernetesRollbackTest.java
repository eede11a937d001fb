package io.blastradius.kubernetes;

import io.blastradius.engine.RollbackJournal;
import io.blastradius.engine.Rollbacks;
import io.blastradius.environment.Change;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.experiment.Experiment.ReplicaSpec;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run on Kubernetes killed mid-fault (SIGKILL: nothing undoes its faults), then what
 * {@code blastradius rollback} does: its journal read, the kubernetes environment found again by the
 * provider on the classpath through a kubeconfig (here one naming the mock API server), every change undone.
 */
class KubernetesRollbackTest {

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

    private Path kubeconfig(String server) throws IOException {
        return MockCluster.kubeconfig(dir, server);
    }

    /** A stop of auth-service and a pause of session-cache, journaled as a run journals them; then the run dies. */
    private Path killedRun() {
        cluster.withReplica().awaitPods();
        String cache = cluster.client.pods().inNamespace(MockCluster.NAMESPACE).withLabel(Replica.NAME_LABEL, "session-cache").list()
                .getItems().get(0).getMetadata().getName();
        for (String action : List.of("stop", "continue")) {
            cluster.exec(cache, "session-cache", Replica.signalScript(Service.SESSION_CACHE, action), action + "ped 7\n");
        }
        cluster.exec(cache, "session-cache", Replica.signalScript(Service.SESSION_CACHE, "state"), "T\n");
        Path journals = dir.resolve("rollback");
        Environment environment = cluster.provider().open(new EnvironmentRequest(MockCluster.home(), dir, ReplicaSpec.DEFAULT, 1,
                Map.of(KubernetesEnvironmentProvider.NAMESPACE, MockCluster.NAMESPACE)));
        RollbackJournal journal = new RollbackJournal(journals, "auth-crash-1", environment.reattach());
        journal.applying("stop", new Change.ProcessStopped(Service.AUTH_SERVICE));
        environment.processes().orElseThrow().stop(Service.AUTH_SERVICE);
        journal.applying("pause", new Change.ProcessPaused(Service.SESSION_CACHE));
        environment.processes().orElseThrow().pause(Service.SESSION_CACHE);
        // killed: no undo, no journal.close(); its port-forwards end with it
        environment.close();
        return journals;
    }

    @Test
    void aRollbackFromAnotherProcessUndoesWhatAKilledRunLeftOnTheCluster() throws IOException {
        Path journals = killedRun();
        assertThat(cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("auth-service").get().getSpec().getReplicas()).isZero();
        System.setProperty("kubeconfig", kubeconfig(cluster.server.url("/")).toString());

        // `blastradius rollback --env local` leaves a run on Kubernetes alone
        assertThat(Rollbacks.undoPending(journals, "local"::equals)).isEmpty();
        assertThat(RollbackJournal.pending(journals)).hasSize(1);

        List<String> report = Rollbacks.undoPending(journals, "kubernetes"::equals);

        assertThat(report).containsExactly("run auth-crash-1: continued paused session-cache", "run auth-crash-1: restarted auth-service");
        assertThat(cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("auth-service").get().getSpec().getReplicas()).isEqualTo(1);
        assertThat(RollbackJournal.pending(journals)).isEmpty();
    }

    @Test
    void whileTheApiServerCannotBeReachedTheJournalIsKeptForTheNextRollback() throws IOException {
        Path journals = killedRun();
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        System.setProperty("kubeconfig", kubeconfig("http://127.0.0.1:" + closed).toString());

        List<String> report = Rollbacks.undoPending(journals);

        assertThat(report).singleElement().asString().startsWith("run auth-crash-1: could not undo 2 change(s): could not read Secret")
                .contains("cannot be reached").endsWith("run blastradius rollback again once it can be reached");
        assertThat(RollbackJournal.pending(journals)).hasSize(1);
        assertThat(cluster.client.apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("auth-service").get().getSpec().getReplicas()).isZero();
    }
}
