package io.blastradius.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.blastradius.support.FakeService;
import io.blastradius.support.FakeService.Answer;
import io.blastradius.support.TestHttp;
import io.blastradius.support.TestHttp.Reply;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The gateway's neighbours stood in by small servers on real sockets: auth-service knows one good
 * session token and one API key; inference-stub echoes what reached it, and streams slowly on request.
 * The end-to-end tests in the experiments module use the real services instead.
 */
abstract class GatewayTestSupport {

    static final String GOOD_TOKEN = "G".repeat(43);
    static final String API_KEY = "key-1";
    /** SHA-256 of {@link #API_KEY}. */
    static final String API_KEY_HASH = "be2974546978e3739e6d6da85c4be9f334ce32df2b9fd4b6ff1b55c0d57e9d44";
    static final String MESSAGE = "{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String SLOW_STREAM = "{\"model\":\"m\",\"max_tokens\":8,\"stream\":true,\"messages\":[]}";

    static void wire(DynamicPropertyRegistry registry, FakeService auth, FakeService inference) {
        registry.add("blastradius.gateway.auth-service-url", auth::url);
        registry.add("blastradius.gateway.inference-stub-url", inference::url);
        registry.add("blastradius.gateway.api-key-hashes", () -> API_KEY_HASH);
        registry.add("blastradius.management.token", () -> "test-token");
        registry.add("management.server.port", () -> 0);
    }

    static FakeService fakeAuth() {
        return FakeService.start("/auth", (method, path, body, exchange) -> switch (path) {
            case "/auth/session" -> ("Bearer " + GOOD_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))
                    ? new Answer(200, "{\"user\":\"demo\",\"expiresAt\":\"" + Instant.now().plusSeconds(600) + "\"}")
                    : new Answer(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"no\"}}");
            case "/auth/login" -> new Answer(200, "{\"token\":\"" + GOOD_TOKEN + "\"}");
            case "/auth/logout" -> new Answer(204, null);
            case "/auth/api-keys/verify" -> API_KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key"))
                    ? new Answer(200, "{\"valid\":true}") : new Answer(401, "{}");
            default -> new Answer(404, "{}");
        });
    }

    static FakeService fakeInference() {
        return FakeService.start("/v1", (method, path, body, exchange) -> {
            if (body.contains("\"stream\":true")) {
                streamSlowly(exchange);
                return null;
            }
            var headers = exchange.getRequestHeaders();
            return new Answer(200, "{\"type\":\"message\",\"user\":\"" + headers.getFirst("x-blastradius-user")
                    + "\",\"sawApiKey\":" + headers.containsKey("x-api-key")
                    + ",\"sawAuthorization\":" + headers.containsKey("Authorization") + "}");
        });
    }

    /** Twelve SSE events, 125 ms apart: 1.5 s in all, longer than any time limiter would allow. */
    private static void streamSlowly(HttpExchange exchange) {
        try (exchange) {
            exchange.getResponseHeaders().set("content-type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 12; i++) {
                out.write(("event: content_block_delta\ndata: {\"i\":" + i + "}\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(125);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    Reply api(String body, String key) {
        return key == null ? TestHttp.postJson(url("/v1/messages"), body)
                : TestHttp.postJson(url("/v1/messages"), body, "x-api-key", key);
    }

    Reply app(String token) {
        return token == null ? TestHttp.postJson(url("/app/chat"), MESSAGE)
                : TestHttp.postJson(url("/app/chat"), MESSAGE, "Authorization", "Bearer " + token);
    }
}
