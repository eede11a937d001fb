package io.blastradius.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The bearer token that guards every management endpoint but health. Compared in constant time; never
 * logged. With no token configured, the guarded endpoints refuse every request (fail closed).
 */
public final class ManagementToken {

    public static final String PROPERTY = "blastradius.management.token";

    private final byte[] expected;

    public ManagementToken(String token) {
        this.expected = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a request to this path needs no token: liveness and readiness must stay probe-able. */
    public static boolean isOpen(String path) {
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    public boolean accepts(String authorizationHeader) {
        if (expected == null || authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorizationHeader.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }

    public String refusal() {
        return expected == null
                ? "management endpoints are disabled: no " + PROPERTY + " is configured"
                : "management endpoints need 'Authorization: Bearer <token>' with the replica's management token";
    }
}
