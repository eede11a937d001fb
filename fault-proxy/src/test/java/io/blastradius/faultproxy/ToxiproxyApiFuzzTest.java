package io.blastradius.faultproxy;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The fault proxy's HTTP API, over a real socket, against any method, path and body the fuzzer makes: it
 * answers every request, never with a 5xx, and every refusal in Toxiproxy's shape
 * ({@code {"error": "...", "status": N}}, N the response's status). A plain build replays the saved inputs;
 * {@code -Pfuzz} fuzzes.
 */
class ToxiproxyApiFuzzTest {

    static final List<String> METHODS = List.of("GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS");
    static final List<String> PATHS = List.of("/proxies", "/proxies/%s", "/proxies/%s/toxics", "/proxies/%s/toxics/%s", "/populate",
            "/reset", "/version", "/metrics", "/%s");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static FaultProxy server;
    static int requests;

    @BeforeAll
    static void start() {
        server = FaultProxy.start(FaultProxyOptions.ofDefaults());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @FuzzTest(maxDuration = "2m")
    void everyRequestIsAnsweredWithoutAServerErrorAndRefusalsInToxiproxysShape(FuzzedDataProvider data) throws Exception {
        // the requests go to this test's own servers on the loopback, and the gateway's to its stand-ins: not a
        // request forgery, which Jazzer's sanitizer takes any connection made while fuzzing to be
        try (SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.startsWith("127."))) {
            send(data);
        }
    }

    private void send(FuzzedDataProvider data) throws Exception {
        String method = data.pickValue(METHODS);
        String template = data.pickValue(PATHS);
        String path = template.formatted(name(data), name(data));
        String body = data.consumeRemainingAsString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.apiUrl() + path)).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        int status = response.statusCode();
        if (status >= 500) {
            throw new AssertionError(method + " " + path + " " + body + " -> " + status + " " + response.body());
        }
        if (status >= 400 && status != 413 && !method.equals("HEAD")) {
            JsonNode error = JSON.readTree(response.body());
            if (!error.path("error").isString() || error.path("status").asInt() != status) {
                throw new AssertionError(method + " " + path + " -> " + status + " not in Toxiproxy's shape: " + response.body());
            }
        }
        if (++requests % 200 == 0) {
            // proxies the fuzzer made hold listeners: start afresh now and then
            HTTP.send(HttpRequest.newBuilder(URI.create(server.apiUrl() + "/populate")).POST(HttpRequest.BodyPublishers.ofString("[]")).build(),
                    HttpResponse.BodyHandlers.discarding());
            for (JsonNode proxy : JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(server.apiUrl() + "/proxies")).build(),
                    HttpResponse.BodyHandlers.ofString()).body())) {
                HTTP.send(HttpRequest.newBuilder(URI.create(server.apiUrl() + "/proxies/" + URLEncoder.encode(proxy.path("name").asString(),
                        StandardCharsets.UTF_8))).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    /** A path segment: a name the fuzzer picks, encoded as a client would. */
    private static String name(FuzzedDataProvider data) {
        return URLEncoder.encode(data.consumeString(40), StandardCharsets.UTF_8).replace("+", "%20");
    }
}
