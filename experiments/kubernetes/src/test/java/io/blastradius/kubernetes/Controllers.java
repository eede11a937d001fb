package io.blastradius.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What a cluster's controllers and kubelets would write, for fabric8's mock API server, which has none:
 * for every Deployment of a namespace, as many pods as it asks for, of its current generation (a rollout
 * restart bumps it: the old pods are replaced), Running and Ready (or Pending with an image that cannot
 * be pulled, for the Deployments named {@link #neverReady}), and the Deployment's status. Pods are named
 * {@code <deployment>-<n>}, n counting up over the whole test, so that a test knows the next name.
 */
final class Controllers implements AutoCloseable {

    static final String GENERATION = "test.blastradius.io/generation";

    private static final java.time.format.DateTimeFormatter CREATED =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private final KubernetesClient client;
    private final String namespace;
    private final AtomicInteger next = new AtomicInteger(1);
    private final Set<String> neverReady = ConcurrentHashMap.newKeySet();
    private final List<Consumer<Pod>> onCreate = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread loop;
    private volatile boolean running = true;

    Controllers(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.loop = new Thread(this::loop, "fake-controllers");
        loop.setDaemon(true);
        loop.start();
    }

    /** Pods of this Deployment never become ready: their image cannot be pulled. */
    void neverReady(String deployment) {
        neverReady.add(deployment);
    }

    /** Called with every pod it creates (to set the mock's exec and port-forward expectations for it). */
    void onCreate(Consumer<Pod> callback) {
        onCreate.add(callback);
    }

    /** The name the next pod will have. */
    String nextPodName(String deployment) {
        return deployment + "-" + next.get();
    }

    private void loop() {
        while (running) {
            try {
                client.apps().deployments().inNamespace(namespace).list().getItems().forEach(this::reconcile);
            } catch (KubernetesClientException | NullPointerException e) {
                // the mock is going away, or an object changed under us: the next round sees it
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void reconcile(Deployment deployment) {
        String name = deployment.getMetadata().getName();
        String generation = Objects.toString(deployment.getMetadata().getGeneration(), "1");
        int wanted = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
        List<Pod> pods = client.pods().inNamespace(namespace).withLabels(selector).list().getItems();
        for (Pod pod : pods) {
            if (!generation.equals(pod.getMetadata().getLabels().get(GENERATION))) {
                client.pods().inNamespace(namespace).resource(pod).delete();
            }
        }
        List<Pod> current = pods.stream().filter(p -> generation.equals(p.getMetadata().getLabels().get(GENERATION))).toList();
        for (int i = current.size(); i < wanted; i++) {
            create(deployment, generation);
        }
        for (int i = wanted; i < current.size(); i++) {
            client.pods().inNamespace(namespace).resource(current.get(i)).delete();
        }
        int count = client.pods().inNamespace(namespace).withLabels(selector).list().getItems().size();
        int ready = neverReady.contains(name) ? 0 : Math.min(count, wanted);
        var status = new DeploymentStatusBuilder().withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(count).withUpdatedReplicas(Math.min(count, wanted)).withReadyReplicas(ready).withAvailableReplicas(ready).build();
        if (!status.equals(deployment.getStatus())) {
            deployment.setStatus(status);
            client.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
        }
    }

    private void create(Deployment deployment, String generation) {
        String name = deployment.getMetadata().getName();
        String container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
        PodStatus status = neverReady.contains(name)
                ? new PodStatusBuilder().withPhase("Pending")
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .withContainerStatuses(new ContainerStatusBuilder().withName(container).withReady(false).withNewState().withNewWaiting()
                        .withReason("ImagePullBackOff").withMessage("Back-off pulling image \"blastradius/" + name + ":0.1.0-SNAPSHOT\"")
                        .endWaiting().endState().build()).build()
                : new PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withContainerStatuses(new ContainerStatusBuilder().withName(container).withReady(true).withNewState().withNewRunning()
                        .endRunning().endState().build()).build();
        Pod pod = new PodBuilder().withNewMetadata().withName(name + "-" + next.getAndIncrement()).withNamespace(namespace)
                .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels()).addToLabels(GENERATION, generation)
                .withCreationTimestamp(CREATED.format(Instant.now())).endMetadata()
                .withSpec(deployment.getSpec().getTemplate().getSpec()).build();
        Pod created = client.pods().inNamespace(namespace).resource(pod).create();
        // what the pod will answer is set before it is ready, as a real pod answers once it is
        onCreate.forEach(c -> c.accept(created));
        created.setStatus(status);
        client.pods().inNamespace(namespace).resource(created).updateStatus();
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
