package io.blastradius.gateway;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import io.blastradius.support.FakeService;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's request parsing, over a real socket with its neighbours stood in: any method, route, API
 * key, bearer token, cookie, content type and body the fuzzer makes is answered in the documented error
 * shape ({@code {"type":"error","error":{"type":…,"message":…}}}) or passed on, and never with a 500. A
 * plain build replays the saved inputs; {@code -Pfuzz} fuzzes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayFuzzTest extends GatewayTestSupport {

    static final FakeService AUTH = fakeAuth();
    static final FakeService INFERENCE = fakeInference();
    static final List<String> METHODS = List.of("POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS");
    static final List<String> PATHS = List.of("/v1/messages", "/app/chat", "/auth/login", "/auth/logout", "/v1/messages/x", "/");
    static final List<String> CONTENT_TYPES = List.of("application/json", "text/plain", "application/json; charset=utf-8", "");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        wire(registry, AUTH, INFERENCE);
        // the fuzzer's logins are not a surge: the limiter would answer most of them 429 before parsing
        registry.add("blastradius.gateway.login-rate-limit", () -> 100000);
    }

    @AfterAll
    static void stop() {
        AUTH.stop();
        INFERENCE.stop();
    }

    @FuzzTest(maxDuration = "2m")
    void everyRequestIsPassedOnOrRefusedInTheErrorShapeNeverA500(FuzzedDataProvider data) throws Exception {
        // the requests go to this test's own servers on the loopback, and the gateway's to its stand-ins: not a
        // request forgery, which Jazzer's sanitizer takes any connection made while fuzzing to be
        try (SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.startsWith("127."))) {
            send(data);
        }
    }

    private void send(FuzzedDataProvider data) throws Exception {
        String method = data.pickValue(METHODS);
        String path = data.pickValue(PATHS);
        // a connection per request, as TestHttp: a reused one can go unanswered in Reactor Netty 1.3.6 (reactor-netty#4188,
        // #4361; the first runs of this test found that race, not a defect of the gateway's own)
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).header("Connection", "close");
        String contentType = data.pickValue(CONTENT_TYPES);
        if (!contentType.isEmpty()) {
            request.header("content-type", contentType);
        }
        header(request, data, "x-api-key", API_KEY);
        header(request, data, "authorization", "Bearer " + GOOD_TOKEN);
        header(request, data, "cookie", "br_session=" + GOOD_TOKEN);
        String body = data.consumeBoolean() ? MESSAGE : data.consumeRemainingAsString();
        HttpResponse<String> response;
        HttpRequest built;
        try {
            built = request.method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        } catch (IllegalArgumentException unsendable) {
            return;   // a header value the JDK client refuses to send (a control character): nothing reached the gateway
        }
        try {
            response = HTTP.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new AssertionError("no answer within 10 s: " + method + " " + path + " " + built.headers().map() + " body '" + body + "'", e);
        }
        int status = response.statusCode();
        if (status == 500) {
            throw new AssertionError(method + " " + path + " " + built.headers().map() + " " + body + " -> 500 " + response.body());
        }
        if (status >= 400 && !method.equals("HEAD")) {
            JsonNode error = JSON.readTree(response.body());
            if (!"error".equals(error.path("type").asString()) || error.path("error").path("message").asString().isEmpty()) {
                throw new AssertionError(method + " " + path + " -> " + status + " not in the error shape: " + response.body());
            }
        }
    }

    /** No header, the good value, or one the fuzzer makes. */
    private static void header(HttpRequest.Builder request, FuzzedDataProvider data, String name, String good) {
        switch (data.consumeInt(0, 2)) {
            case 1 -> request.header(name, good);
            case 2 -> {
                String value = data.consumeString(200);
                try {
                    request.header(name, value);
                } catch (IllegalArgumentException unsendable) {
                    // a value the JDK client refuses to send (a control character, a bad byte): nothing to send
                }
            }
            default -> { }
        }
    }
}
