package io.blastradius.kubernetes;

import io.blastradius.environment.EnvironmentException;
import io.blastradius.experiment.Service;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.readiness.Readiness;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The replica of {@code k8s/} in one namespace, as the API server shows it: its Deployments (one per
 * service, named as the service, and {@code fault-proxy}), their pods (by the label
 * {@code app.kubernetes.io/name}), the Secret {@code blastradius-run}. Every call is bounded in time and
 * fails with one line (see {@link Cluster}).
 */
final class Replica {

    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String FAULT_PROXY = "fault-proxy";
    static final String SECRET = "blastradius-run";
    static final String PROFILE_LABEL = "blastradius.io/profile";
    /** How many times a change of a Deployment is made when the API server says it changed in between (409). */
    static final int CONFLICT_TRIES = 5;

    /** How long to wait: for the replica to become ready, for a pod to go. */
    record Timeouts(Duration ready, Duration gone) {
        static final Timeouts DEFAULT = new Timeouts(Duration.ofMinutes(3), Duration.ofSeconds(60));
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Timeouts timeouts;

    Replica(KubernetesClient client, String namespace, Timeouts timeouts) {
        this.client = client;
        this.namespace = namespace;
        this.timeouts = timeouts;
    }

    String namespace() {
        return namespace;
    }

    KubernetesClient client() {
        return client;
    }

    /** Every Deployment of the replica: the services (Redis first) and the fault proxy. */
    static List<String> deployments() {
        return Stream.concat(Stream.of(Service.values()).map(Service::wireName), Stream.of(FAULT_PROXY)).toList();
    }

    /** The Deployments of the replica that the namespace lacks. */
    List<String> missing() {
        List<String> present = Cluster.call(client, "list the Deployments of namespace " + namespace,
                () -> client.apps().deployments().inNamespace(namespace).list().getItems().stream()
                        .map(d -> d.getMetadata().getName()).toList());
        return deployments().stream().filter(d -> !present.contains(d)).toList();
    }

    Deployment deployment(String name) {
        Deployment deployment = Cluster.call(client, "read Deployment " + namespace + "/" + name,
                () -> client.apps().deployments().inNamespace(namespace).withName(name).get());
        if (deployment == null) {
            throw new EnvironmentException("Deployment " + namespace + "/" + name + " is gone (deleted by hand?)");
        }
        return deployment;
    }

    /** The pods of a Deployment, newest first, those being deleted included. */
    List<Pod> pods(String deployment) {
        return Cluster.call(client, "list the pods of " + namespace + "/" + deployment,
                () -> client.pods().inNamespace(namespace).withLabel(NAME_LABEL, deployment).list().getItems().stream()
                        .sorted(Comparator.comparing((Pod p) -> Objects.toString(p.getMetadata().getCreationTimestamp(), "")).reversed())
                        .toList());
    }

    /** The newest ready pod of a Deployment that is not being deleted. */
    Optional<Pod> readyPod(String deployment) {
        return pods(deployment).stream().filter(Replica::isRunning).filter(Readiness::isPodReady).findFirst();
    }

    Optional<String> readyPodName(String deployment) {
        return readyPod(deployment).map(p -> p.getMetadata().getName());
    }

    /** Running and not being deleted. */
    static boolean isRunning(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    }

    /** Every pod of a Deployment deleted at once, with no grace period: a crash. */
    void deletePods(String deployment) {
        Cluster.run(client, "delete the pods of " + namespace + "/" + deployment,
                () -> client.pods().inNamespace(namespace).withLabel(NAME_LABEL, deployment).withGracePeriod(0).delete());
    }

    /**
     * One change of a Deployment: a read, the edit, a write that the API server refuses (409) if the Deployment changed
     * in between. Its controller writes its status all the time, so a refused write is made again on a fresh read
     * (as client-go's RetryOnConflict does), up to {@link #CONFLICT_TRIES} times; the edit must give the same result
     * whatever it is given.
     */
    void editDeployment(String deployment, String what, java.util.function.Consumer<Deployment> edit) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.apps().deployments().inNamespace(namespace).withName(deployment).edit(d -> {
                    edit.accept(d);
                    return d;
                });
                return;
            } catch (KubernetesClientException e) {
                if (Cluster.code(e) != 409 || attempt == CONFLICT_TRIES) {
                    throw Cluster.failure(client, what, e);
                }
            }
        }
    }

    void rolloutRestart(String deployment) {
        Cluster.run(client, "restart " + namespace + "/" + deployment + " (rollout restart)",
                () -> client.apps().deployments().inNamespace(namespace).withName(deployment).rolling().restart());
    }

    /** Waits until a Deployment has no pod left. */
    void awaitNoPods(String deployment) {
        await(() -> pods(deployment).isEmpty(), timeouts.gone(), () -> "the pods of " + namespace + "/" + deployment + " did not go within "
                + timeouts.gone().toSeconds() + " s of the scale to 0: " + podStates(deployment));
    }

    /** Waits until a Deployment's rollout is done and all its replicas are ready. */
    void awaitReady(String deployment) {
        await(() -> rolledOut(deployment(deployment)) && readyPod(deployment).isPresent(), timeouts.ready(),
                () -> namespace + "/" + deployment + " was not ready within " + timeouts.ready().toSeconds() + " s: " + podStates(deployment));
    }

    /** Waits until every Deployment of the replica is ready, naming the ones that are not when it gives up. */
    void awaitAllReady() {
        long deadline = System.nanoTime() + timeouts.ready().toNanos();
        for (String deployment : deployments()) {
            long left = deadline - System.nanoTime();
            await(() -> rolledOut(deployment(deployment)) && readyPod(deployment).isPresent(), Duration.ofNanos(Math.max(left, 0)),
                    () -> "the replica in namespace " + namespace + " was not ready within " + timeouts.ready().toSeconds() + " s; not ready: "
                            + String.join(", ", deployments().stream().filter(d -> !rolledOut(deployment(d)) || readyPod(d).isEmpty())
                            .map(d -> d + " (" + podStates(d) + ")").toList()));
        }
    }

    /** Whether a Deployment's controller has seen its spec and every replica it asks for is updated and available. */
    static boolean rolledOut(Deployment deployment) {
        DeploymentStatus status = deployment.getStatus();
        if (status == null) {
            return false;
        }
        int wanted = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
        long generation = Optional.ofNullable(deployment.getMetadata().getGeneration()).orElse(0L);
        return Optional.ofNullable(status.getObservedGeneration()).orElse(0L) >= generation
                && Optional.ofNullable(status.getUpdatedReplicas()).orElse(0) >= wanted
                && Optional.ofNullable(status.getAvailableReplicas()).orElse(0) >= wanted
                && Optional.ofNullable(status.getReplicas()).orElse(0) <= wanted;
    }

    /** What a Deployment's pods are doing, for an error: each pod's phase and why a container waits (ImagePullBackOff, ...). */
    String podStates(String deployment) {
        List<Pod> pods;
        try {
            pods = pods(deployment);
        } catch (EnvironmentException e) {
            return "its pods cannot be listed";
        }
        if (pods.isEmpty()) {
            return "no pod";
        }
        List<String> states = new ArrayList<>();
        for (Pod pod : pods) {
            StringBuilder state = new StringBuilder(pod.getMetadata().getName()).append(' ')
                    .append(pod.getStatus() == null ? "Pending" : Objects.toString(pod.getStatus().getPhase(), "Pending"));
            if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
                for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                    if (container.getState() != null && container.getState().getWaiting() != null) {
                        state.append(", ").append(container.getName()).append(" waiting: ").append(container.getState().getWaiting().getReason());
                        if (container.getState().getWaiting().getMessage() != null) {
                            state.append(" (").append(Cluster.firstLine(container.getState().getWaiting().getMessage())).append(')');
                        }
                    } else if (!Boolean.TRUE.equals(container.getReady())) {
                        state.append(", ").append(container.getName()).append(" not ready");
                    }
                }
            }
            states.add(state.toString());
        }
        return String.join("; ", states);
    }

    /** The management token the services were given (the Secret's {@code management-token}). */
    String managementToken() {
        Secret secret = Cluster.call(client, "read Secret " + namespace + "/" + SECRET,
                () -> client.secrets().inNamespace(namespace).withName(SECRET).get());
        if (secret == null || secret.getData() == null || !secret.getData().containsKey("management-token")) {
            throw new EnvironmentException("namespace " + namespace + " has no Secret " + SECRET + " with a management-token:"
                    + " make it as README \"Kubernetes\" says, or let --deploy make it");
        }
        return new String(Base64.getDecoder().decode(secret.getData().get("management-token")), StandardCharsets.UTF_8).trim();
    }

    /**
     * Finds a service's own process in its pod (the JVM, or redis-server) by its name in /proc, and reads
     * its state ({@code state}: the letter of /proc/PID/stat), stops it ({@code stop}) or continues it
     * ({@code continue}); what the command printed.
     */
    String signal(Service service, Pod pod, String action) {
        String script = signalScript(service, action);
        String out = exec(pod, service.wireName(), "sh", "-c", script);
        if (out.isBlank()) {
            throw new EnvironmentException("could not " + action + " " + service.wireName() + " in pod " + pod.getMetadata().getName()
                    + ": the command printed nothing (is its process there?)");
        }
        return out.trim();
    }

    /** The shell script of {@link #signal}. */
    static String signalScript(Service service, String action) {
        String process = service.isJvm() ? "java" : "redis-server";
        String act = switch (action) {
            case "state" -> "cut -d' ' -f3 /proc/$p/stat";
            case "stop" -> "kill -STOP $p && echo stopped $p";
            case "continue" -> "kill -CONT $p && echo continued $p";
            default -> throw new IllegalArgumentException(action);
        };
        return "p=; for d in /proc/[0-9]*; do if [ \"$(cat $d/comm 2>/dev/null)\" = " + process + " ]; then p=${d#/proc/}; break; fi; done; "
                + "if [ -z \"$p\" ]; then echo no " + process + " process >&2; exit 1; fi; " + act;
    }

    /** Runs a command in a pod's container and returns what it printed; its error output in the exception when it printed nothing. */
    String exec(Pod pod, String container, String... command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String what = "run a command in pod " + namespace + "/" + pod.getMetadata().getName();
        try (ExecWatch watch = Cluster.call(client, what, () -> client.pods().inNamespace(namespace).withName(pod.getMetadata().getName())
                .inContainer(container).writingOutput(out).writingError(err).exec(command))) {
            watch.exitCode().get(Cluster.REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof io.fabric8.kubernetes.client.KubernetesClientException k) {
                throw Cluster.failure(client, what, k);
            }
            throw new EnvironmentException("could not " + what + ": " + Cluster.firstLine(String.valueOf(cause.getMessage())), e);
        } catch (TimeoutException e) {
            throw new EnvironmentException("could not " + what + ": no answer within " + Cluster.REQUEST_TIMEOUT_MILLIS / 1000 + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while waiting to " + what, e);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        if (printed.isBlank() && err.size() > 0) {
            throw new EnvironmentException("could not " + what + ": " + Cluster.firstLine(err.toString(StandardCharsets.UTF_8)));
        }
        return printed;
    }

    private static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> why) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new EnvironmentException(why.get());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnvironmentException("interrupted while waiting: " + why.get(), e);
            }
        }
    }
}
