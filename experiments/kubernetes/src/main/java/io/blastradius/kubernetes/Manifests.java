package io.blastradius.kubernetes;

import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.Secrets;
import io.blastradius.environment.Endpoints;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The replica's objects, from an overlay of {@code k8s/} rendered by {@code kubectl kustomize} (fabric8 has
 * no Kustomize of its own), with an experiment's per-service properties added to its containers' arguments,
 * applied into a namespace (server-side apply), and deleted again.
 */
final class Manifests {

    private final List<HasMetadata> objects;

    private Manifests(List<HasMetadata> objects) {
        this.objects = List.copyOf(objects);
    }

    List<HasMetadata> objects() {
        return objects;
    }

    /** The kubectl that renders: {@code $KUBECTL}, else {@code kubectl} on the PATH. */
    static String kubectl() {
        String kubectl = System.getenv("KUBECTL");
        return kubectl == null || kubectl.isBlank() ? "kubectl" : kubectl;
    }

    /** An overlay rendered by {@code kubectl kustomize}; its stderr in the exception when it fails. */
    static String render(Path overlay) {
        if (!Files.isRegularFile(overlay.resolve("kustomization.yaml"))) {
            throw new EnvironmentException("no overlay at " + overlay + " (no kustomization.yaml): --deploy renders k8s/overlays/<profile> of the checkout");
        }
        Process process;
        try {
            process = new ProcessBuilder(kubectl(), "kustomize", overlay.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new EnvironmentException("--deploy renders " + overlay + " with kubectl kustomize, and there is no kubectl (" + kubectl()
                    + "): put one on the PATH or set KUBECTL (k8s/fetch-kubectl fetches one)", e);
        }
        try {
            process.getOutputStream().close();
            var stderr = new java.util.concurrent.CompletableFuture<String>();
            Thread reader = new Thread(() -> {
                try {
                    stderr.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    stderr.complete("");
                }
            }, "kubectl-stderr");
            reader.setDaemon(true);
            reader.start();
            String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                reader.join(1000);
                throw new EnvironmentException("kubectl kustomize " + overlay + " failed: " + Cluster.firstLine(stderr.getNow("").strip()));
            }
            return yaml;
        } catch (IOException e) {
            throw new EnvironmentException("kubectl kustomize " + overlay + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new EnvironmentException("interrupted while rendering " + overlay, e);
        }
    }

    /** The objects of rendered YAML, each service's container given the experiment's properties as {@code --key=value} arguments. */
    static Manifests of(KubernetesClient client, String yaml, Map<String, Map<String, String>> properties) {
        List<HasMetadata> objects = new ArrayList<>(client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items());
        for (HasMetadata object : objects) {
            if (object instanceof Deployment deployment) {
                Map<String, String> values = properties.getOrDefault(deployment.getMetadata().getName(), Map.of());
                if (values.isEmpty()) {
                    continue;
                }
                Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
                List<String> args = new ArrayList<>(container.getArgs() == null ? List.of() : container.getArgs());
                values.forEach((key, value) -> args.add("--" + key + "=" + value));
                container.setArgs(args);
            }
        }
        List<String> services = objects.stream().filter(Deployment.class::isInstance).map(o -> o.getMetadata().getName()).toList();
        for (String service : properties.keySet()) {
            if (!services.contains(service)) {
                throw new EnvironmentException("the experiment sets properties of '" + service + "', which the overlay has no Deployment for");
            }
        }
        return new Manifests(objects);
    }

    /** Who applied the replica's objects, in their managed fields. */
    static final String FIELD_MANAGER = "blastradius";

    /** What {@link #apply} made that was not there: removed again by {@link #delete}, and nothing else. */
    private boolean createdNamespace;
    private boolean createdSecret;

    /**
     * Applies every object into the namespace (created; server-side applied over one already there), after
     * the namespace (when it is missing and may be read) and the Secret the pods read (when the namespace has
     * none: a new management token and Redis password; the demo user's password is the one experiments log in with).
     */
    void apply(KubernetesClient client, String namespace) {
        createdNamespace = ensureNamespace(client, namespace);
        if (Cluster.call(client, "read Secret " + namespace + "/" + Replica.SECRET,
                () -> client.secrets().inNamespace(namespace).withName(Replica.SECRET).get()) == null) {
            var secret = new SecretBuilder().withNewMetadata().withName(Replica.SECRET).withNamespace(namespace)
                    .addToLabels("app.kubernetes.io/part-of", "blast-radius").endMetadata()
                    .addToData("management-token", base64(Secrets.random()))
                    .addToData("redis-password", base64(Secrets.random()))
                    .addToData("demo-password", base64(Endpoints.Credentials.DEMO.password()))
                    .build();
            Cluster.run(client, "create Secret " + namespace + "/" + Replica.SECRET, () -> client.secrets().inNamespace(namespace).resource(secret).create());
            createdSecret = true;
        }
        for (HasMetadata object : objects) {
            Cluster.run(client, "apply " + object.getKind() + " " + namespace + "/" + object.getMetadata().getName(),
                    () -> client.resource(object).inNamespace(namespace)
                            .createOr(existing -> existing.fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply()));
        }
    }

    /** How long a namespace being deleted (by the run before, say) may take to go before it is made again. */
    static final Duration TERMINATING = Duration.ofMinutes(2);

    /**
     * Creates the namespace if it is missing (after one being deleted has gone: nothing can be created in
     * it meanwhile); whether it did. (Allowed in a namespace but not to read namespaces: it is there.)
     */
    private static boolean ensureNamespace(KubernetesClient client, String namespace) {
        long deadline = System.nanoTime() + TERMINATING.toNanos();
        while (true) {
            Namespace found;
            try {
                found = client.namespaces().withName(namespace).get();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403) {
                    return false;
                }
                throw Cluster.failure(client, "read namespace " + namespace, e);
            }
            if (found == null) {
                break;
            }
            if (found.getStatus() == null || !"Terminating".equals(found.getStatus().getPhase())) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new EnvironmentException("namespace " + namespace + " is still being deleted after " + TERMINATING.toMinutes()
                        + " min: wait for it (kubectl get namespace " + namespace + "), or use another --namespace");
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnvironmentException("interrupted while namespace " + namespace + " was being deleted", e);
            }
        }
        Cluster.run(client, "create namespace " + namespace, () -> client.namespaces()
                .resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create());
        return true;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes what {@link #apply} made: every object, the Secret and the namespace if it made them (a
     * Secret or namespace someone else made stays); what it could not delete, in words.
     */
    List<String> delete(KubernetesClient client, String namespace) {
        List<String> failed = new ArrayList<>();
        List<HasMetadata> lastFirst = new ArrayList<>(objects);
        Collections.reverse(lastFirst);
        for (HasMetadata object : lastFirst) {
            deleting(failed, client, "delete " + object.getKind() + " " + namespace + "/" + object.getMetadata().getName(),
                    () -> client.resource(object).inNamespace(namespace).delete());
        }
        if (createdSecret) {
            deleting(failed, client, "delete Secret " + namespace + "/" + Replica.SECRET,
                    () -> client.secrets().inNamespace(namespace).withName(Replica.SECRET).delete());
        }
        if (createdNamespace) {
            deleting(failed, client, "delete namespace " + namespace, () -> client.namespaces().withName(namespace).delete());
        }
        return failed;
    }

    private static void deleting(List<String> failed, KubernetesClient client, String what, Runnable call) {
        try {
            Cluster.run(client, what, call);
        } catch (EnvironmentException e) {
            failed.add(e.getMessage());
        }
    }
}
