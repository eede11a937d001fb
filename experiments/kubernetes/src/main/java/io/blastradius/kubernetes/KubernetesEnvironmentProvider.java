package io.blastradius.kubernetes;

import io.blastradius.environment.Capability;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.experiment.Service;
import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.environment.EnvironmentRequest;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code --env kubernetes}: the replica of {@code k8s/} in a namespace of the cluster the kubeconfig names
 * (or, inside a pod, its own). By default it attaches to the replica already there (applied with
 * {@code kubectl apply -k k8s/overlays/<profile>}); with {@code --deploy} it renders the overlay of the
 * experiment's profile, applies it with the experiment's properties, and deletes it again at the end.
 */
public final class KubernetesEnvironmentProvider implements EnvironmentProvider {

    public static final String NAME = "kubernetes";
    /** The namespace the replica runs in. */
    public static final String NAMESPACE = "namespace";
    /** "true": apply the overlay of the experiment's profile rather than attach to what is there. */
    public static final String DEPLOY = "deploy";
    public static final String DEFAULT_NAMESPACE = "blast-radius";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final Supplier<KubernetesClient> connect;
    private final Replica.Timeouts timeouts;
    /** Whether {@link #connect} reads a kubeconfig (not so in tests, which bring their own API server). */
    private final boolean kubeconfig;
    /** How a forwarded connection reaches a pod: the API server's port-forward (tests: somewhere else). */
    private final BiFunction<KubernetesClient, String, PodForward.Tunnel> tunnels;

    public KubernetesEnvironmentProvider() {
        this(Cluster::connect, Replica.Timeouts.DEFAULT, true, KubernetesEnvironment::tunnel);
    }

    /** For tests: another API server (the mock), other waits. */
    KubernetesEnvironmentProvider(Supplier<KubernetesClient> connect, Replica.Timeouts timeouts) {
        this(connect, timeouts, false, KubernetesEnvironment::tunnel);
    }

    /** For tests: and forwarded connections that go elsewhere than through the API server (which the mock does not emulate). */
    KubernetesEnvironmentProvider(Supplier<KubernetesClient> connect, Replica.Timeouts timeouts,
                                  BiFunction<KubernetesClient, String, PodForward.Tunnel> tunnels) {
        this(connect, timeouts, false, tunnels);
    }

    private KubernetesEnvironmentProvider(Supplier<KubernetesClient> connect, Replica.Timeouts timeouts, boolean kubeconfig,
                                          BiFunction<KubernetesClient, String, PodForward.Tunnel> tunnels) {
        this.connect = connect;
        this.timeouts = timeouts;
        this.kubeconfig = kubeconfig;
        this.tunnels = tunnels;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the replica of k8s/ in a Kubernetes namespace (--namespace, default " + DEFAULT_NAMESPACE + "): attach to it, or apply it"
                + " with --deploy; reached through port-forwards, process faults on pods";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.complementOf(EnumSet.of(Capability.RECONFIGURE));
    }

    @Override
    public void validate(EnvironmentRequest request) {
        namespace(request.parameters());
        if (kubeconfig && Cluster.where().isEmpty()) {
            throw new IllegalArgumentException(Cluster.NO_KUBECONFIG);
        }
    }

    static String namespace(Map<String, String> parameters) {
        String namespace = parameters.getOrDefault(NAMESPACE, DEFAULT_NAMESPACE);
        if (!DNS_LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("--namespace '" + namespace + "' is not a Kubernetes namespace name (lower-case letters, digits and"
                    + " '-', at most 63, starting and ending with a letter or digit)");
        }
        return namespace;
    }

    @Override
    public Environment open(EnvironmentRequest request) {
        String namespace = namespace(request.parameters());
        boolean deploy = Boolean.parseBoolean(request.parameters().get(DEPLOY));
        String profile = request.replica().profile();
        Map<String, Map<String, String>> properties = request.replica().properties();
        if (properties.containsKey(Service.REDIS.wireName())) {
            throw new EnvironmentException("the " + name() + " environment does not take Redis settings (replica.properties.redis): k8s/base"
                    + " runs Redis without a writable volume to persist to; run this experiment with --env local");
        }
        KubernetesClient client = connect.get();
        Replica replica = new Replica(client, namespace, timeouts);
        Optional<Manifests> applied = Optional.empty();
        try {
            if (deploy) {
                Manifests manifests = Manifests.of(client, Manifests.render(request.home().resolve("k8s/overlays").resolve(profile)), properties);
                applied = Optional.of(manifests);
                manifests.apply(client, namespace);
            } else {
                attachable(replica, profile, properties);
            }
            replica.awaitAllReady();
            return new KubernetesEnvironment(replica, applied, tunnels.apply(client, namespace));
        } catch (RuntimeException e) {
            try {
                applied.ifPresent(m -> m.delete(client, namespace));
            } finally {
                client.close();
            }
            throw e;
        }
    }

    /** A namespace with the replica of this profile and no other settings; refused with what to do otherwise. */
    private static void attachable(Replica replica, String profile, Map<String, Map<String, String>> properties) {
        String namespace = replica.namespace();
        var missing = replica.missing();
        if (missing.size() == Replica.deployments().size()) {
            throw new EnvironmentException("namespace " + namespace + " has no replica (no Deployment of k8s/ there): apply one with"
                    + " kubectl -n " + namespace + " apply -k k8s/overlays/" + profile + " (README \"Kubernetes\"), or run with --deploy");
        }
        if (!missing.isEmpty()) {
            throw new EnvironmentException("namespace " + namespace + " has only part of the replica: no Deployment " + String.join(", ", missing)
                    + "; apply it again with kubectl -n " + namespace + " apply -k k8s/overlays/" + profile);
        }
        Deployment gateway = replica.deployment("gateway");
        String deployed = Optional.ofNullable(gateway.getMetadata().getLabels()).map(l -> l.get(Replica.PROFILE_LABEL)).orElse(null);
        if (deployed != null && !deployed.equals(profile)) {
            throw new EnvironmentException("namespace " + namespace + " runs the " + deployed + " replica and the experiment needs the " + profile
                    + " one: apply k8s/overlays/" + profile + ", or run with --deploy");
        }
        if (!properties.isEmpty()) {
            throw new EnvironmentException("the experiment sets properties of " + String.join(", ", properties.keySet())
                    + ", which a replica already running in namespace " + namespace + " does not have: run with --deploy to apply them");
        }
    }

    /** The namespace of a killed run, to undo its journal; closing leaves the replica as it is. */
    @Override
    public Environment reattach(Map<String, String> parameters) {
        String namespace = namespace(parameters);
        KubernetesClient client = connect.get();
        try {
            return new KubernetesEnvironment(new Replica(client, namespace, timeouts), Optional.empty(), tunnels.apply(client, namespace));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }
}
