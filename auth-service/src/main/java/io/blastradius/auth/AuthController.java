package io.blastradius.auth;

import io.blastradius.support.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code /auth/login}, {@code /auth/logout} and {@code /auth/session}. */
@RestController
@RequestMapping("/auth")
public class AuthController {

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final SessionCacheClient sessions;
    private final AuthProperties properties;

    public AuthController(Passwords passwords, LoginThrottle throttle, SessionCacheClient sessions, AuthProperties properties) {
        this.passwords = passwords;
        this.throttle = throttle;
        this.sessions = sessions;
        this.properties = properties;
    }

    /** A login request; checked at the edge. */
    public record Login(String username, String password) {
        public Login {
            if (username == null || !USER.matcher(username).matches()) {
                throw new IllegalArgumentException("username: required, 1 to 64 of [A-Za-z0-9._@-]");
            }
            if (password == null || password.isEmpty() || password.length() > 256) {
                throw new IllegalArgumentException("password: required, 1 to 256 characters");
            }
        }
    }

    /** What a successful login answers; the token is also set as the {@value Tokens#COOKIE} cookie. */
    public record Issued(String token, String tokenType, String user, Instant expiresAt) {
    }

    /** What a session lookup answers. */
    public record Resolved(String user, Instant expiresAt) {
    }

    @PostMapping(path = "/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> login(@RequestBody Login login, HttpServletRequest request) {
        String client = client(request);
        Optional<Duration> wait = throttle.retryAfter(login.username(), client);
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds());
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                    .body(ApiError.of(ApiError.RATE_LIMIT, "too many failed logins; retry in " + seconds + " s"));
        }
        if (!passwords.matches(login.username(), login.password())) {
            throttle.failed(login.username(), client);
            return error(HttpStatus.UNAUTHORIZED, "invalid username or password");
        }
        throttle.succeeded(login.username(), client);
        String token = Tokens.newToken();
        var stored = sessions.create(Tokens.storageId(token), login.username(), properties.sessionTtl().toSeconds());
        ResponseCookie cookie = ResponseCookie.from(Tokens.COOKIE, token)
                .httpOnly(true).sameSite("Strict").path("/").maxAge(properties.sessionTtl()).build();
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, cookie.toString())
                .body(new Issued(token, "Bearer", stored.user(), stored.expiresAt()));
    }

    @PostMapping("/logout")
    public ResponseEntity<?> logout(HttpServletRequest request) {
        Optional<String> token = Tokens.from(request);
        if (token.isEmpty() || !sessions.delete(Tokens.storageId(token.get()))) {
            return error(HttpStatus.UNAUTHORIZED, "no valid session token (bearer or " + Tokens.COOKIE + " cookie)");
        }
        ResponseCookie expired = ResponseCookie.from(Tokens.COOKIE, "").httpOnly(true).sameSite("Strict")
                .path("/").maxAge(0).build();
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, expired.toString()).build();
    }

    @GetMapping("/session")
    public ResponseEntity<?> session(HttpServletRequest request) {
        return Tokens.from(request)
                .flatMap(token -> sessions.find(Tokens.storageId(token)))
                .<ResponseEntity<?>>map(s -> ResponseEntity.ok(new Resolved(s.user(), s.expiresAt())))
                .orElseGet(() -> error(HttpStatus.UNAUTHORIZED, "unknown or expired session"));
    }

    @ExceptionHandler(SessionCacheClient.Unavailable.class)
    ResponseEntity<ApiError> unavailable(SessionCacheClient.Unavailable e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /**
     * Who is trying: the last X-Forwarded-For hop (the one the gateway appended) when the request comes
     * through the gateway on loopback, else the peer address.
     */
    static String client(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        String peer = request.getRemoteAddr();
        boolean fromLoopback = peer.startsWith("127.") || peer.equals("0:0:0:0:0:0:0:1") || peer.equals("::1");
        if (forwarded != null && !forwarded.isBlank() && fromLoopback) {
            String[] hops = forwarded.split(",");
            return hops[hops.length - 1].trim();
        }
        return peer;
    }

    static ResponseEntity<ApiError> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(ApiError.forStatus(status.value(), message));
    }
}
