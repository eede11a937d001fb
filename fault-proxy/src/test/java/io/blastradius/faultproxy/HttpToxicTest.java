package io.blastradius.faultproxy;

import com.sun.net.httpserver.HttpServer;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code http} toxic on real HTTP/1.1: a JDK HTTP server upstream that counts what reaches it, the JDK
 * client through the proxy (reusing its connections), and the toxic created through the API's JSON, which
 * Toxiproxy's Java client cannot write. Timing bounds are one-sided.
 */
class HttpToxicTest {

    FaultProxy server;
    ToxiproxyClient client;
    HttpServer upstream;
    final Map<String, AtomicInteger> reached = new ConcurrentHashMap<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    Proxy proxy;

    @BeforeEach
    void start() throws IOException {
        server = FaultProxy.start(FaultProxyOptions.ofDefaults().withSeed(42));
        client = new ToxiproxyClient("127.0.0.1", server.apiPort());
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        upstream.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            reached.computeIfAbsent(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(), k -> new AtomicInteger()).incrementAndGet();
            byte[] answer = ("{\"upstream\":true,\"read\":" + body.length + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        upstream.start();
        proxy = client.createProxy("auth", "127.0.0.1:0", "127.0.0.1:" + upstream.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.close();
        upstream.stop(0);
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + proxy.getListen() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> api(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + path));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> addHttpToxic(String name, String stream, String attributes) throws Exception {
        return api("POST", "/proxies/auth/toxics", "{\"name\":\"" + name + "\",\"type\":\"http\",\"stream\":\"" + stream + "\",\"attributes\":"
                + attributes + "}");
    }

    int reached(String key) {
        return reached.getOrDefault(key, new AtomicInteger()).get();
    }

    @Test
    void matchingRequestsAreAnsweredInTheUpstreamsPlaceAndTheRestPassOnTheSameConnections() throws Exception {
        assertThat(addHttpToxic("login-down", "upstream", "{\"status\":503,\"method\":\"POST\",\"path\":\"/auth/login\",\"percent\":100}").statusCode())
                .isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> login = send("POST", "/auth/login", "{\"username\":\"demo\",\"password\":\"" + "x".repeat(i * 100) + "\"}");
            assertThat(login.statusCode()).isEqualTo(503);
            assertThat(login.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(login.body()).contains("\"injected_fault\"");
            HttpResponse<String> other = send("POST", "/v1/messages", "{\"n\":" + i + "}");
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.body()).as("its body read whole by the upstream, after a swallowed one").isEqualTo("{\"upstream\":true,\"read\":" + ("{\"n\":" + i + "}").length() + "}");
            assertThat(send("GET", "/auth/login", null).statusCode()).as("another method").isEqualTo(200);
        }
        assertThat(reached("POST /auth/login")).as("no matching request reached the upstream").isZero();
        assertThat(reached("POST /v1/messages")).isEqualTo(20);
        assertThat(reached("GET /auth/login")).isEqualTo(20);

        // the control: with the toxic removed, logins reach the upstream again
        assertThat(api("DELETE", "/proxies/auth/toxics/login-down", null).statusCode()).isEqualTo(204);
        assertThat(send("POST", "/auth/login", "{}").statusCode()).isEqualTo(200);
        assertThat(reached("POST /auth/login")).isEqualTo(1);
    }

    /** A body of unknown length: the JDK client sends it chunked. */
    HttpResponse<String> sendChunked(String path, String body) throws Exception {
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(body));
        return http.send(HttpRequest.newBuilder(URI.create("http://" + proxy.getListen() + path)).timeout(Duration.ofSeconds(10))
                .POST(chunked).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void chunkedBodiesAreReadToTheirEndWhetherAnsweredOrPassedOn() throws Exception {
        addHttpToxic("login-down", "upstream", "{\"status\":503,\"path\":\"/auth/login\"}");
        for (int i = 0; i < 10; i++) {
            assertThat(sendChunked("/auth/login", "{\"password\":\"" + "y".repeat(i * 5_000) + "\"}").statusCode()).isEqualTo(503);
            String body = "{\"n\":\"" + "z".repeat(i * 3_000) + "\"}";
            HttpResponse<String> passed = sendChunked("/v1/messages", body);
            assertThat(passed.statusCode()).isEqualTo(200);
            assertThat(passed.body()).isEqualTo("{\"upstream\":true,\"read\":" + body.length() + "}");
        }
        assertThat(reached("POST /auth/login")).isZero();
        assertThat(reached("POST /v1/messages")).isEqualTo(10);
    }

    @Test
    void aShareOfTheMatchingRequestsIsHitAndTheSameSeedHitsTheSameOnes() throws Exception {
        addHttpToxic("half", "upstream", "{\"status\":500,\"percent\":50}");
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            pattern.append(send("GET", "/x", null).statusCode() == 500 ? 'x' : '.');
        }
        long hit = pattern.chars().filter(c -> c == 'x').count();
        assertThat(hit).as(pattern.toString()).isBetween(25L, 75L);
        assertThat(reached("GET /x")).isEqualTo(100 - (int) hit);
    }

    @Test
    void withoutAStatusAMatchingRequestIsPassedOnLate() throws Exception {
        addHttpToxic("slow-login", "upstream", "{\"delay\":400,\"path\":\"/auth/\"}");
        long start = System.nanoTime();
        assertThat(send("POST", "/auth/login", "{}").statusCode()).isEqualTo(200);
        long slow = (System.nanoTime() - start) / 1_000_000;
        assertThat(slow).as("ms").isGreaterThanOrEqualTo(400);
        assertThat(send("POST", "/v1/messages", "{}").statusCode()).isEqualTo(200);
        assertThat(reached("POST /auth/login")).isEqualTo(1);
    }

    @Test
    void toxiproxysOwnClientListsTheToxicsItKnowsAndIgnoresThisOne() throws Exception {
        proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 1);
        addHttpToxic("login-down", "upstream", "{\"status\":503}");
        List<? extends Toxic> known = proxy.toxics().getAll();
        assertThat(known).extracting(Toxic::getName).containsExactly("slow");
        assertThat(api("GET", "/proxies/auth/toxics?all=true", null).body()).contains("\"name\":\"login-down\"", "\"type\":\"http\"",
                "\"method\":\"\"", "\"status\":503");
        assertThat(api("GET", "/proxies/auth/toxics/login-down", null).statusCode()).isEqualTo(200);
        client.reset();
        assertThat(api("GET", "/proxies/auth/toxics?all=true", null).body()).as("a reset removes it like any toxic").isEqualTo("[]");
    }

    @Test
    void badAttributesAndTheDownstreamStreamAreRefusedWithTheRuleBroken() throws Exception {
        Map<String, String> refused = Map.of(
                "{\"status\":700}", "status must be 0 (delay only) or an HTTP status from 100 to 599, but was 700",
                "{\"percent\":101}", "percent must be from 0 to 100, but was 101",
                "{\"method\":\"post\"}", "method must be an HTTP method in capitals",
                "{\"path\":\"auth\"}", "path must start with /",
                "{\"path\":5}", "attributes.path of a http toxic must be a string",
                "{\"delay\":-1}", "delay must be from 0 to 600000 (milliseconds), but was -1");
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            HttpResponse<String> answer = addHttpToxic("bad", "upstream", bad.getKey());
            assertThat(answer.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(answer.body()).as(bad.getKey()).contains(bad.getValue());
        }
        HttpResponse<String> downstream = addHttpToxic("bad", "downstream", "{\"status\":503}");
        assertThat(downstream.statusCode()).isEqualTo(400);
        assertThat(downstream.body()).contains("a http toxic acts on the upstream stream only");
        assertThat(api("GET", "/proxies/auth/toxics?all=true", null).body()).as("nothing half-added").isEqualTo("[]");
    }
}
