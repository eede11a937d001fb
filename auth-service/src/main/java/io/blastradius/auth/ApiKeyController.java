package io.blastradius.auth;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /auth/api-keys/verify}: API-key checking as a remote call. Only the gateway's
 * {@code coupled} profile uses it: it is the classic mistake that puts the public API behind auth.
 */
@RestController
public class ApiKeyController {

    private final List<byte[]> hashes;

    public ApiKeyController(AuthProperties properties) {
        this.hashes = properties.apiKeyHashes().stream().map(h -> HexFormat.of().parseHex(h.toLowerCase())).toList();
    }

    @PostMapping("/auth/api-keys/verify")
    public ResponseEntity<?> verify(@RequestHeader(name = "x-api-key", required = false) String key) {
        if (key != null && !key.isEmpty() && key.length() <= 256) {
            byte[] given = sha256(key);
            boolean valid = false;
            for (byte[] hash : hashes) {
                valid |= MessageDigest.isEqual(hash, given);
            }
            if (valid) {
                return ResponseEntity.ok(Map.of("valid", true));
            }
        }
        return AuthController.error(HttpStatus.UNAUTHORIZED, "invalid API key");
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
