package io.blastradius.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The auth-service's settings.
 *
 * @param users            user name to BCrypt hash
 * @param demoPassword     if set, a user {@code demo} with this password (hashed at start, never logged)
 * @param bcryptCost       cost factor for hashes made here; low by default, since every service shares two cores
 * @param sessionTtl       how long a session lives
 * @param sessionCacheUrl  base URL of session-cache
 * @param sessionCacheTimeout how long one call to session-cache may take
 * @param apiKeyHashes     SHA-256 (hex) of the API keys, for {@code POST /auth/api-keys/verify}
 * @param throttle         failed-login throttling per user and client
 */
@ConfigurationProperties("blastradius.auth")
public record AuthProperties(Map<String, String> users, String demoPassword, Integer bcryptCost, Duration sessionTtl,
                             URI sessionCacheUrl, Duration sessionCacheTimeout, List<String> apiKeyHashes,
                             Throttle throttle) {

    public AuthProperties {
        users = users == null ? Map.of() : Map.copyOf(users);
        bcryptCost = bcryptCost == null ? 4 : bcryptCost;
        sessionTtl = sessionTtl == null ? Duration.ofMinutes(30) : sessionTtl;
        sessionCacheTimeout = sessionCacheTimeout == null ? Duration.ofSeconds(1) : sessionCacheTimeout;
        apiKeyHashes = apiKeyHashes == null ? List.of() : List.copyOf(apiKeyHashes);
        throttle = throttle == null ? new Throttle(null, null, null) : throttle;
        if (bcryptCost < 4 || bcryptCost > 31) {
            throw new IllegalArgumentException("blastradius.auth.bcrypt-cost must be from 4 to 31, but was " + bcryptCost);
        }
        if (sessionTtl.toSeconds() < 1 || sessionTtl.toSeconds() > 86_400) {
            throw new IllegalArgumentException("blastradius.auth.session-ttl must be from 1s to 24h, but was " + sessionTtl);
        }
        if (sessionCacheUrl == null) {
            throw new IllegalArgumentException("blastradius.auth.session-cache-url must be set (the base URL of session-cache)");
        }
    }

    /**
     * After {@code maxFailures} failed logins for one user from one client within {@code window}, further
     * attempts are refused with 429 for {@code lockout}.
     */
    public record Throttle(Integer maxFailures, Duration window, Duration lockout) {
        public Throttle {
            maxFailures = maxFailures == null ? 5 : maxFailures;
            window = window == null ? Duration.ofMinutes(1) : window;
            lockout = lockout == null ? Duration.ofSeconds(30) : lockout;
            if (maxFailures < 1) {
                throw new IllegalArgumentException("blastradius.auth.throttle.max-failures must be positive, but was " + maxFailures);
            }
        }
    }
}
