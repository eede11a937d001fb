package io.blastradius.kubernetes;

import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.UnreachableEnvironmentException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import java.io.File;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The API server, through the fabric8 client: configured from a kubeconfig ({@code $KUBECONFIG}, else
 * {@code ~/.kube/config}) or, inside a pod, from its service account; every call bounded in time, and every
 * failure turned into one line that says what to do.
 */
final class Cluster {

    static final String IN_CLUSTER_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";
    /** A call to the API server gives up after this long: an unreachable server is an error in seconds, not minutes. */
    static final int REQUEST_TIMEOUT_MILLIS = 10_000;

    static final String NO_KUBECONFIG = "--env kubernetes: no kubeconfig (neither $KUBECONFIG nor ~/.kube/config exists) and not inside"
            + " a pod: point KUBECONFIG at your cluster's config (kind: kind get kubeconfig > kubeconfig; export KUBECONFIG=$PWD/kubeconfig)";

    /** How the JDK's WebSocket says an upgrade was answered with another status. */
    private static final java.util.regex.Pattern HANDSHAKE_STATUS = java.util.regex.Pattern.compile("response status code (\\d{3})");

    private Cluster() {
    }

    /** A client for the cluster the kubeconfig (or the pod's service account) names; refused when there is neither. */
    static KubernetesClient connect() {
        where().orElseThrow(() -> new EnvironmentException(NO_KUBECONFIG));
        Config config = new ConfigBuilder(Config.autoConfigure(null))
                .withConnectionTimeout(REQUEST_TIMEOUT_MILLIS)
                .withRequestTimeout(REQUEST_TIMEOUT_MILLIS)
                .withRequestRetryBackoffLimit(0)
                .build();
        return client(config);
    }

    /** A client for exactly this configuration (the tests' mock API server). */
    static KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
    }

    /** Where the configuration comes from, if anywhere: the kubeconfig files that exist, or the pod's service account. */
    static Optional<String> where() {
        String kubeconfig = Optional.ofNullable(System.getProperty("kubeconfig")).orElse(System.getenv("KUBECONFIG"));
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            return Arrays.stream(kubeconfig.split(File.pathSeparator)).filter(p -> Files.isRegularFile(Path.of(p))).findFirst();
        }
        Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
        if (Files.isRegularFile(home)) {
            return Optional.of(home.toString());
        }
        if (System.getenv("KUBERNETES_SERVICE_HOST") != null && Files.isRegularFile(Path.of(IN_CLUSTER_TOKEN))) {
            return Optional.of("the pod's service account");
        }
        return Optional.empty();
    }

    /** A call to the API server, its failure said in one line: what was done, what the server said, what to do. */
    static <T> T call(KubernetesClient client, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw failure(client, what, e);
        }
    }

    static void run(KubernetesClient client, String what, Runnable call) {
        call(client, what, () -> {
            call.run();
            return null;
        });
    }

    /** The one line for a failed call. */
    static EnvironmentException failure(KubernetesClient client, String what, KubernetesClientException e) {
        String server = client.getMasterUrl().toString();
        return switch (code(e)) {
            case 401 -> new EnvironmentException("could not " + what + ": the API server at " + server
                    + " refused the credentials of the kubeconfig (401): log in again or check the user of the current context", e);
            case 403 -> new EnvironmentException("could not " + what + ": forbidden by the cluster's RBAC (403" + (e.getStatus() == null
                    || e.getStatus().getMessage() == null ? "" : ": " + firstLine(e.getStatus().getMessage())) + "): the user or service account needs get/list/watch/patch on deployments"
                    + " and pods, delete on pods, create on pods/exec and pods/portforward in the namespace (README, \"Kubernetes\")", e);
            case 404 -> new EnvironmentException("could not " + what + ": not found (404)", e);
            case 409 -> new EnvironmentException("could not " + what + ": it kept changing under the write (409 Conflict, " + Replica.CONFLICT_TRIES
                    + " tries, each on a fresh read): is something else editing it, such as another run or a GitOps controller?", e);
            default -> {
                Throwable cause = rootCause(e);
                if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof HttpTimeoutException
                        || cause instanceof java.io.InterruptedIOException || cause instanceof java.nio.channels.ClosedChannelException) {
                    yield new UnreachableEnvironmentException("could not " + what + ": the API server at " + server + " cannot be reached ("
                            + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage()))
                            + "): is the cluster up, and is the kubeconfig's current context the right one?", e);
                }
                yield new EnvironmentException("could not " + what + ": " + firstLine(e.getMessage()), e);
            }
        };
    }

    /** The HTTP status of a failed call, also when it failed as a WebSocket upgrade (exec, port-forward), which fabric8 does not carry over. */
    static int code(KubernetesClientException e) {
        if (e.getCode() > 0) {
            return e.getCode();
        }
        java.util.ArrayDeque<Throwable> open = new java.util.ArrayDeque<>(List.of(e));
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!open.isEmpty()) {
            Throwable t = open.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof WebSocketHandshakeException handshake && handshake.getResponse() != null && handshake.getResponse().code() >= 300) {
                return handshake.getResponse().code();
            }
            java.util.regex.Matcher status = HANDSHAKE_STATUS.matcher(String.valueOf(t.getMessage()));
            if (status.find()) {
                return Integer.parseInt(status.group(1));
            }
            if (t.getCause() != null) {
                open.add(t.getCause());
            }
            open.addAll(List.of(t.getSuppressed()));
        }
        return 0;
    }

    static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
