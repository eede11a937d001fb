package io.blastradius.support;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The valid API keys, held only as SHA-256 digests and checked in constant time against all of them.
 * The gateway checks keys with it locally; auth-service with it behind its verify endpoint (the
 * coupled profile's mistake).
 */
public final class ApiKeys {

    /** Longer keys are refused without hashing them, or asking anyone. */
    public static final int MAX_KEY_LENGTH = 256;
    private final List<byte[]> digests;

    private ApiKeys(List<byte[]> digests) {
        this.digests = digests;
    }

    /** From hex digests as configured under {@code property}; each must be 64 hex digits. */
    public static ApiKeys fromHexDigests(String property, List<String> hexDigests) {
        for (String hex : hexDigests) {
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(property + " must hold SHA-256 hex digests, but one was '"
                        + hex.substring(0, Math.min(8, hex.length())) + "…'");
            }
        }
        return new ApiKeys(hexDigests.stream().map(h -> HexFormat.of().parseHex(h.toLowerCase())).toList());
    }

    public boolean accepts(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        byte[] given = Digests.sha256(key);
        boolean valid = false;
        for (byte[] digest : digests) {
            valid |= MessageDigest.isEqual(digest, given);
        }
        return valid;
    }
}
