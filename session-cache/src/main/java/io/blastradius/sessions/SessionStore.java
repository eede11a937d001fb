package io.blastradius.sessions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Sessions as JSON strings under {@code session:<id>}, expired by Redis itself. */
@Service
public class SessionStore {

    private static final String PREFIX = "session:";

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final Clock clock;

    @Autowired
    public SessionStore(StringRedisTemplate redis, JsonMapper json) {
        this(redis, json, Clock.systemUTC());
    }

    SessionStore(StringRedisTemplate redis, JsonMapper json, Clock clock) {
        this.redis = redis;
        this.json = json;
        this.clock = clock;
    }

    /** Stores a new session; empty if one with that id exists already. */
    public Optional<Session> create(String id, String user, Duration ttl) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Session session = new Session(id, user, now, now.plus(ttl));
        Boolean created = redis.opsForValue().setIfAbsent(PREFIX + id, json.writeValueAsString(session), ttl);
        return Boolean.TRUE.equals(created) ? Optional.of(session) : Optional.empty();
    }

    public Optional<Session> find(String id) {
        return Optional.ofNullable(redis.opsForValue().get(PREFIX + id)).map(v -> json.readValue(v, Session.class));
    }

    public boolean delete(String id) {
        return Boolean.TRUE.equals(redis.delete(PREFIX + id));
    }

    /** Extends a live session to expire {@code ttl} from now. */
    public Optional<Session> touch(String id, Duration ttl) {
        return find(id).flatMap(s -> {
            Session touched = new Session(s.id(), s.user(), s.createdAt(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS).plus(ttl));
            Boolean set = redis.opsForValue().setIfPresent(PREFIX + id, json.writeValueAsString(touched), ttl);
            return Boolean.TRUE.equals(set) ? Optional.of(touched) : Optional.empty();
        });
    }
}
