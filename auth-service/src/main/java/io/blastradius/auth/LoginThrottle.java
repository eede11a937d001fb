package io.blastradius.auth;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per (user, client) and refuses further attempts for a while after too many.
 * Bounded: when it holds too many keys it forgets the ones whose window has passed.
 */
@Component
public class LoginThrottle {

    private static final int MAX_KEYS = 100_000;

    private final int maxFailures;
    private final Duration window;
    private final Duration lockout;
    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    @Autowired
    public LoginThrottle(AuthProperties properties) {
        this(properties.throttle(), Clock.systemUTC());
    }

    LoginThrottle(AuthProperties.Throttle throttle, Clock clock) {
        this.maxFailures = throttle.maxFailures();
        this.window = throttle.window();
        this.lockout = throttle.lockout();
        this.clock = clock;
    }

    /** How long this user and client must wait before trying again, if they must. */
    public Optional<Duration> retryAfter(String user, String client) {
        Failures f = failures.get(key(user, client));
        Instant now = clock.instant();
        if (f == null || f.lockedUntil == null || !now.isBefore(f.lockedUntil)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, f.lockedUntil));
    }

    public void failed(String user, String client) {
        if (failures.size() > MAX_KEYS) {
            Instant now = clock.instant();
            failures.values().removeIf(f -> f.windowStart.plus(window).isBefore(now)
                    && (f.lockedUntil == null || f.lockedUntil.isBefore(now)));
        }
        failures.compute(key(user, client), (k, f) -> {
            Instant now = clock.instant();
            Failures next = f == null || f.windowStart.plus(window).isBefore(now) ? new Failures(now, 0, null) : f;
            int count = next.count + 1;
            return new Failures(next.windowStart, count, count >= maxFailures ? now.plus(lockout) : next.lockedUntil);
        });
    }

    public void succeeded(String user, String client) {
        failures.remove(key(user, client));
    }

    private static String key(String user, String client) {
        return user + '\u0000' + client;
    }

    private record Failures(Instant windowStart, int count, Instant lockedUntil) {
    }
}
