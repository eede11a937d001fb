package io.blastradius.gateway.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Resolves a session token through auth-service ({@code GET /auth/session}) behind the
 * {@code auth-session} circuit breaker, time limiter and bulkhead, on a connection pool of its own.
 * Valid sessions are remembered for a short, bounded time; logouts through the gateway evict them.
 */
public class SessionValidator {

    /** Who a valid token belongs to. */
    public record Principal(String user, Instant expiresAt) {
    }

    private record Resolved(String user, Instant expiresAt) {
    }

    private final WebClient client;
    private final ReactiveCircuitBreaker breaker;
    private final Cache<String, Principal> cache;

    public SessionValidator(WebClient client, ReactiveCircuitBreaker breaker, Duration cacheTtl, int cacheSize) {
        this.client = client;
        this.breaker = breaker;
        this.cache = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(cacheSize).build();
    }

    /** The principal of a valid token, empty for an unknown or expired one; an error when auth cannot tell. */
    public Mono<Optional<Principal>> validate(String token) {
        Principal cached = cache.getIfPresent(token);
        if (cached != null && cached.expiresAt().isAfter(Instant.now())) {
            return Mono.just(Optional.of(cached));
        }
        Mono<Optional<Principal>> lookup = client.get().uri("/auth/session")
                .headers(h -> h.setBearerAuth(token))
                .exchangeToMono(response -> {
                    int status = response.statusCode().value();
                    if (status == 200) {
                        return response.bodyToMono(Resolved.class)
                                .map(r -> Optional.of(new Principal(r.user(), r.expiresAt())));
                    }
                    if (status == 401) {
                        return response.releaseBody().thenReturn(Optional.<Principal>empty());
                    }
                    return response.releaseBody().then(Mono.error(
                            new UpstreamUnavailableException("auth-service answered " + status + " to a session lookup")));
                });
        return breaker.run(lookup, Mono::error).doOnNext(p -> p.ifPresent(principal -> cache.put(token, principal)));
    }

    public void evict(String token) {
        cache.invalidate(token);
    }
}
