package io.blastradius.gateway.internal;

import io.blastradius.support.ApiKeys;
import reactor.core.publisher.Mono;

/**
 * The decoupled way: keys are checked in the gateway itself, against SHA-256 digests, in constant time.
 * No network call, so the public API does not depend on auth-service at all.
 */
public class LocalApiKeyVerifier implements ApiKeyVerifier {

    private final ApiKeys keys;

    public LocalApiKeyVerifier(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Mono<Boolean> isValid(String key) {
        return Mono.just(keys.accepts(key));
    }
}
