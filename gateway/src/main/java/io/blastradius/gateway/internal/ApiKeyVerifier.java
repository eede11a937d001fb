package io.blastradius.gateway.internal;

import reactor.core.publisher.Mono;

/** Decides whether an API key is valid. */
public interface ApiKeyVerifier {

    Mono<Boolean> isValid(String key);
}
