package io.blastradius.gateway.internal;

import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The coupled way, on purpose: every API call asks auth-service, with no circuit breaker, no time limit
 * and the default shared, unbounded connection pool. Selected by the {@code coupled} profile so that
 * experiments can show the leak.
 */
public class RemoteApiKeyVerifier implements ApiKeyVerifier {

    private final WebClient client;

    public RemoteApiKeyVerifier(WebClient client) {
        this.client = client;
    }

    @Override
    public Mono<Boolean> isValid(String key) {
        return client.post().uri("/auth/api-keys/verify").header("x-api-key", key)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .flatMap(status -> status >= 500
                        ? Mono.error(new UpstreamUnavailableException("auth-service answered " + status + " to an API-key check"))
                        : Mono.just(status == 200));
    }
}
