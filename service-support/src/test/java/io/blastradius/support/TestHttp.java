package io.blastradius.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpHeaders;
import java.time.Duration;

/** A real HTTP client for tests: plain calls on real sockets, replies with status, headers and JSON. */
public final class TestHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // lets each request say "Connection: close" (see request()); the build sets it too, before any client exists
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection");
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private TestHttp() {
    }

    /** A reply: status, headers, body, and the elapsed time in milliseconds. */
    public record Reply(int status, HttpHeaders headers, String body, long millis) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The {@code error.type} of an {@link ApiError} body. */
        public String errorType() {
            return json().path("error").path("type").asString();
        }

        public String errorMessage() {
            return json().path("error").path("message").asString();
        }
    }

    public static Reply get(String url, String... headers) {
        return send(request(url, headers).GET().build());
    }

    public static Reply post(String url, String body, String... headers) {
        return send(request(url, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public static Reply postJson(String url, String body, String... headers) {
        return send(request(url, headers).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public static Reply delete(String url, String... headers) {
        return send(request(url, headers).DELETE().build());
    }

    public static Reply send(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every request on a connection of its own ({@code Connection: close}): a test observes the service,
     * not Reactor Netty's keep-alive races, where a request queued on a reused connection can go
     * unanswered until the client's timeout (reactor/reactor-netty#4188 and #4361; once seen here, in
     * GatewayIsolationTest, as a 20 s timeout of a request that a fresh connection answers at once).
     */
    public static HttpRequest.Builder request(String url, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        builder.header("Connection", "close");
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder;
    }
}
