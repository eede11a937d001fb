package io.blastradius.replica;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A running replica as scripts and later tooling see it: the content of {@code replica.json}.
 *
 * @param gatewayUrl      the public entry point
 * @param routes          route name to "METHOD url"
 * @param services        each process: its URLs, pid and log
 * @param links           each hop ("gateway->auth-service", ...) to the address the caller connects to
 * @param managementToken bearer token for every management endpoint but health
 * @param demo            credentials that work on this replica
 */
public record ReplicaInfo(String profile, String runDir, Instant startedAt, long startMillis, long launcherPid,
                          URI gatewayUrl, Map<String, String> routes, Map<String, Endpoint> services,
                          Map<String, String> links, String managementToken, Demo demo) {

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
