package io.blastradius.replica;

import io.blastradius.experiment.Service;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A running replica as scripts and later tooling see it: the content of {@code replica.json}.
 *
 * @param gatewayUrl      the public entry point
 * @param routes          route name to "METHOD url"
 * @param services        each process: its URLs, pid and log
 * @param faultProxyUrl   the Toxiproxy-compatible API of the fault proxy that every hop goes through
 * @param links           each hop ("gateway->auth-service", ...): its proxy, where it listens, where it forwards
 * @param managementToken bearer token for every management endpoint but health
 * @param demo            credentials that work on this replica
 */
public record ReplicaInfo(String profile, String runDir, Instant startedAt, long startMillis, long launcherPid,
                          URI gatewayUrl, Map<String, String> routes, Map<String, Endpoint> services,
                          URI faultProxyUrl, Map<String, Link> links, String managementToken, Demo demo) {

    /** One hop: the caller connects to {@code listen}, the proxy named {@code proxy} forwards to {@code upstream}. */
    public record Link(String proxy, String listen, String upstream) {
    }

    /** One process of the replica. {@code url} and {@code managementUrl} are null where they do not apply. */
    public record Endpoint(URI url, URI managementUrl, String host, int port, long pid, String log) {
    }

    /** The demo login and API key. */
    public record Demo(String username, String password, String apiKey) {
    }

    public Endpoint service(Service service) {
        return services.get(service.wireName());
    }
}
