package io.blastradius.gateway;

import io.blastradius.support.FakeService;
import io.blastradius.support.TestHttp;
import io.blastradius.support.TestHttp.Reply;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRoutesTest extends GatewayTestSupport {

    static final FakeService AUTH = fakeAuth();
    static final FakeService INFERENCE = fakeInference();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        wire(registry, AUTH, INFERENCE);
    }

    @AfterAll
    static void stop() {
        AUTH.stop();
        INFERENCE.stop();
    }

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @Autowired
    TimeLimiterRegistry timeLimiters;

    @Autowired
    BulkheadRegistry bulkheads;

    @Test
    void apiNeedsAValidApiKeyAndDoesNotForwardIt() {
        long authCalls = AUTH.requests.get();
        Reply ok = api(MESSAGE, API_KEY);

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("sawApiKey").asBoolean()).isFalse();
        assertThat(AUTH.requests.get()).as("the api route never calls auth-service").isEqualTo(authCalls);
        assertError(api(MESSAGE, null), 401, "authentication_error", "x-api-key header is required");
        assertError(api(MESSAGE, "key-2"), 401, "authentication_error", "invalid API key");
        assertError(api(MESSAGE, "k".repeat(300)), 401, "authentication_error", "invalid API key");
    }

    @Test
    void apiStreamsPassThroughWholeAndAreNotCutByATimeLimiter() {
        Reply stream = api(SLOW_STREAM, API_KEY);

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.body().lines().filter(l -> l.startsWith("data:")).count()).isEqualTo(12);
    }

    @Test
    void appNeedsAValidSessionAndForwardsTheUserButNotTheToken() {
        Reply ok = app(GOOD_TOKEN);

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("user").asString()).isEqualTo("demo");
        assertThat(ok.json().path("sawAuthorization").asBoolean()).isFalse();
        assertThat(TestHttp.postJson(url("/app/chat"), MESSAGE, "Cookie", "br_session=" + GOOD_TOKEN).status()).isEqualTo(200);
        assertError(app(null), 401, "authentication_error", "a session is required");
        assertError(app("B".repeat(43)), 401, "authentication_error", "unknown or expired session");
        assertError(app("short"), 401, "authentication_error", "a session is required");
    }

    @Test
    void loginAndLogoutGoToAuthService() {
        assertThat(TestHttp.postJson(url("/auth/login"), "{}").json().path("token").asString()).isEqualTo(GOOD_TOKEN);
        assertThat(TestHttp.post(url("/auth/logout"), "", "Authorization", "Bearer " + GOOD_TOKEN).status()).isEqualTo(204);
    }

    @Test
    void unknownRoutesWrongMethodsAndOversizedBodiesGetAJsonError() {
        assertError(TestHttp.get(url("/nothing/here")), 404, "not_found_error", "no route for GET /nothing/here");
        assertError(TestHttp.get(url("/v1/messages")), 404, "not_found_error", "no route for GET /v1/messages");
        assertError(TestHttp.get(url("/auth/session")), 404, "not_found_error", "no route");
        assertError(TestHttp.get(url("/actuator/health")), 404, "not_found_error", "no route");
        assertError(api("x".repeat(70_000), API_KEY), 413, "request_too_large", "at most 65536 bytes");
        byte[] big = new byte[70_000];
        Reply chunked = TestHttp.send(TestHttp.request(url("/v1/messages"), "x-api-key", API_KEY, "content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
        assertError(chunked, 413, "request_too_large", "at most 65536 bytes");
    }

    @Test
    void resilience4jSettingsFromApplicationYmlAreBound() {
        CircuitBreakerConfig auth = circuitBreakers.circuitBreaker("auth").getCircuitBreakerConfig();
        assertThat(auth.getMinimumNumberOfCalls()).isEqualTo(10);
        assertThat(auth.getSlowCallDurationThreshold()).isEqualTo(Duration.ofMillis(500));
        assertThat(auth.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(5_000L);
        assertThat(circuitBreakers.circuitBreaker("inference").getCircuitBreakerConfig().getSlowCallDurationThreshold())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(timeLimiters.timeLimiter("auth-session").getTimeLimiterConfig().getTimeoutDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(timeLimiters.timeLimiter("auth").getTimeLimiterConfig().getTimeoutDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(bulkheads.bulkhead("auth").getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(32);
    }

    @Test
    void prometheusShowsCircuitBreakerStateAndLatencyPerRouteBehindTheToken() {
        api(MESSAGE, API_KEY);
        String prometheus = "http://127.0.0.1:" + managementPort + "/actuator/prometheus";

        assertThat(TestHttp.get(prometheus).status()).isEqualTo(401);
        String metrics = TestHttp.get(prometheus, "Authorization", "Bearer test-token").body();
        assertThat(metrics).contains("resilience4j_circuitbreaker_state{group=\"none\",name=\"auth-session\",state=\"closed\"} 1.0");
        assertThat(metrics).containsPattern("spring_cloud_gateway_requests_seconds_bucket\\{.*routeId=\"api\"");
        assertThat(TestHttp.get("http://127.0.0.1:" + managementPort + "/actuator/health").status()).isEqualTo(200);
    }

    static void assertError(Reply reply, int status, String type, String messagePart) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.errorType()).isEqualTo(type);
        assertThat(reply.errorMessage()).contains(messagePart);
    }
}
