package io.blastradius.gateway;

import io.blastradius.support.ApiKeys;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's own settings (routes and Resilience4j live in application.yml).
 *
 * @param authServiceUrl   base URL of auth-service (through its fault proxy, when there is one)
 * @param inferenceStubUrl base URL of inference-stub
 * @param apiKeyHashes     SHA-256 (hex) of every valid API key; the keys themselves are never configured
 * @param sessionCacheTtl  how long a validated session is trusted without asking auth-service again
 * @param sessionCacheSize how many validated sessions are kept at most
 * @param sessionLookupConnections connections to auth-service reserved for session lookups
 * @param maxBodySize      largest request body accepted
 * @param loginRateLimit   logins per second let through to auth-service; the rest get 429
 */
@ConfigurationProperties("blastradius.gateway")
public record GatewaySettings(URI authServiceUrl, URI inferenceStubUrl, List<String> apiKeyHashes,
                              Duration sessionCacheTtl, Integer sessionCacheSize, Integer sessionLookupConnections,
                              DataSize maxBodySize, Double loginRateLimit) {

    private static final String API_KEY_HASHES = "blastradius.gateway.api-key-hashes";

    public GatewaySettings {
        if (authServiceUrl == null) {
            throw new IllegalArgumentException("blastradius.gateway.auth-service-url must be set");
        }
        if (inferenceStubUrl == null) {
            throw new IllegalArgumentException("blastradius.gateway.inference-stub-url must be set");
        }
        apiKeyHashes = apiKeyHashes == null ? List.of() : List.copyOf(apiKeyHashes);
        ApiKeys.fromHexDigests(API_KEY_HASHES, apiKeyHashes);
        sessionCacheTtl = sessionCacheTtl == null ? Duration.ofSeconds(2) : sessionCacheTtl;
        sessionCacheSize = sessionCacheSize == null ? 10_000 : sessionCacheSize;
        sessionLookupConnections = sessionLookupConnections == null ? 64 : sessionLookupConnections;
        maxBodySize = maxBodySize == null ? DataSize.ofKilobytes(64) : maxBodySize;
        loginRateLimit = loginRateLimit == null ? 10.0 : loginRateLimit;
        if (sessionCacheTtl.isNegative() || sessionCacheTtl.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("blastradius.gateway.session-cache-ttl must be from 0 to 30s, but was " + sessionCacheTtl);
        }
    }

    public ApiKeys apiKeys() {
        return ApiKeys.fromHexDigests(API_KEY_HASHES, apiKeyHashes);
    }
}
