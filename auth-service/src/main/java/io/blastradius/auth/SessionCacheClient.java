package io.blastradius.auth;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.net.http.HttpClient;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * session-cache over HTTP, with short timeouts. Any failure to reach it, or a 5xx from it, becomes a
 * {@link Unavailable}, answered 503 by the controller: slow or broken storage means a fast refusal.
 */
@Component
public class SessionCacheClient {

    private final RestClient client;

    public SessionCacheClient(AuthProperties properties) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(properties.sessionCacheTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(properties.sessionCacheTimeout());
        this.client = RestClient.builder()
                .baseUrl(properties.sessionCacheUrl().toString())
                .requestFactory(factory)
                .defaultStatusHandler(HttpStatusCode::is5xxServerError, (request, response) -> {
                    throw new Unavailable("session-cache answered " + response.getStatusCode().value());
                })
                .build();
    }

    /** A session as session-cache holds it. */
    public record StoredSession(String id, String user, Instant createdAt, Instant expiresAt) {
    }

    public StoredSession create(String id, String user, long ttlSeconds) {
        return call(() -> client.post().uri("/sessions").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("id", id, "user", user, "ttlSeconds", ttlSeconds))
                .retrieve().body(StoredSession.class));
    }

    public Optional<StoredSession> find(String id) {
        return call(() -> client.get().uri("/sessions/{id}", id).exchange((request, response) ->
                response.getStatusCode().value() == 404 ? Optional.<StoredSession>empty()
                        : Optional.ofNullable(ensureOk(response.getStatusCode().value(), response.bodyTo(StoredSession.class)))));
    }

    public boolean delete(String id) {
        return call(() -> client.delete().uri("/sessions/{id}", id).exchange((request, response) ->
                ensureOk(response.getStatusCode().value(), response.getStatusCode().value() != 404)));
    }

    private static <T> T ensureOk(int status, T value) {
        if (status >= 500) {
            throw new Unavailable("session-cache answered " + status);
        }
        return value;
    }

    private static <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RestClientException e) {
            throw new Unavailable("session-cache is unreachable: " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    /** session-cache could not be used; the caller should answer 503. */
    public static class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }
}
