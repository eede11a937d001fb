package io.blastradius.auth;

import io.blastradius.support.ApiKeys;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code POST /auth/api-keys/verify}: API-key checking as a remote call. Only the gateway's
 * {@code coupled} profile uses it: it is the classic mistake that puts the public API behind auth.
 */
@RestController
public class ApiKeyController {

    private final ApiKeys keys;

    public ApiKeyController(AuthProperties properties) {
        this.keys = ApiKeys.fromHexDigests("blastradius.auth.api-key-hashes", properties.apiKeyHashes());
    }

    @PostMapping("/auth/api-keys/verify")
    public ResponseEntity<?> verify(@RequestHeader(name = "x-api-key", required = false) String key) {
        return keys.accepts(key) ? ResponseEntity.ok(Map.of("valid", true))
                : AuthController.error(HttpStatus.UNAUTHORIZED, "invalid API key");
    }
}
