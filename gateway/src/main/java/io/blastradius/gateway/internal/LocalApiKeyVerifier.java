package io.blastradius.gateway.internal;

import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The decoupled way: keys are checked in the gateway itself, against SHA-256 digests, in constant time.
 * No network call, so the public API does not depend on auth-service at all.
 */
public class LocalApiKeyVerifier implements ApiKeyVerifier {

    private final List<byte[]> digests;

    public LocalApiKeyVerifier(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    @Override
    public Mono<Boolean> isValid(String key) {
        byte[] given = sha256(key);
        boolean valid = false;
        for (byte[] digest : digests) {
            valid |= MessageDigest.isEqual(digest, given);
        }
        return Mono.just(valid);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
