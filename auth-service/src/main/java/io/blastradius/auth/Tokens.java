package io.blastradius.auth;

import io.blastradius.support.Digests;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Session tokens: 256 random bits, URL-safe. session-cache stores only a token's SHA-256, so a copy of
 * Redis does not hand out live sessions.
 */
public final class Tokens {

    public static final String COOKIE = "br_session";
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The key under which session-cache stores the session of this token. */
    public static String storageId(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Digests.sha256(token));
    }

    /** The well-formed token a request carries as a bearer token or in the session cookie, if any. */
    public static Optional<String> from(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return wellFormed(authorization.substring(7).trim());
        }
        if (request.getCookies() != null) {
            for (Cookie cookie : request.getCookies()) {
                if (COOKIE.equals(cookie.getName())) {
                    return wellFormed(cookie.getValue());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> wellFormed(String token) {
        return SHAPE.matcher(token).matches() ? Optional.of(token) : Optional.empty();
    }
}
