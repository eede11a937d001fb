package io.blastradius.replica;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/** Calls the replica's routes over real HTTP, as a client of the gateway would. */
public final class ReplicaHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();
    public static final String MESSAGE = "{\"model\":\"stub\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    public record Reply(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        String errorType() {
            return json().path("error").path("type").asString();
        }
    }

    private final URI gateway;

    public ReplicaHttp(URI gateway) {
        this.gateway = gateway;
    }

    /**
     * The reply of a call made again while it answers 503, every 250 ms for at most 15 s: the session path answers
     * 503 for a moment after Redis or auth-service starts again (until session-cache's client has reconnected, or a
     * cold service answers within the gateway's time limit), and a breaker opened by a fault lets a call through only
     * after its wait.
     */
    public static Reply pastA503(Supplier<Reply> call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Reply reply = call.get();
        while (reply.status() == 503 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return reply;
            }
            reply = call.get();
        }
        return reply;
    }

    static Path home() {
        return Path.of(System.getProperty("blastradius.home", "..")).toAbsolutePath().normalize();
    }

    public Reply api(String body, String apiKey) {
        return post("/v1/messages", body, "x-api-key", apiKey);
    }

    public Reply app(String token) {
        return post("/app/chat", MESSAGE, "Authorization", "Bearer " + token);
    }

    public Reply login(String user, String password) {
        return post("/auth/login", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    }

    Reply logout(String token) {
        return post("/auth/logout", "", "Authorization", "Bearer " + token);
    }

    Reply post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
