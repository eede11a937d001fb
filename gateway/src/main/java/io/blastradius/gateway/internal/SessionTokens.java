package io.blastradius.gateway.internal;

import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

import java.util.Optional;
import java.util.regex.Pattern;

/** Finds the session token of a request: a bearer token, else the {@code br_session} cookie. */
final class SessionTokens {

    static final String COOKIE = "br_session";
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private SessionTokens() {
    }

    static Optional<String> from(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return wellFormed(authorization.substring(7).trim());
        }
        HttpCookie cookie = request.getCookies().getFirst(COOKIE);
        return cookie == null ? Optional.empty() : wellFormed(cookie.getValue());
    }

    private static Optional<String> wellFormed(String token) {
        return SHAPE.matcher(token).matches() ? Optional.of(token) : Optional.empty();
    }
}
