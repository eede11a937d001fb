package io.blastradius.auth;

import io.blastradius.support.FakeService;
import io.blastradius.support.FakeService.Answer;
import io.blastradius.support.TestHttp;
import io.blastradius.support.TestHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * auth-service over real HTTP, with session-cache stood in by a small in-memory server on a real
 * socket (the end-to-end test runs it against the real session-cache and Redis).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "blastradius.auth.demo-password=correct horse",
        "blastradius.auth.session-cache-timeout=2s", // a cold first call on a busy machine fits; a 5 s stall does not
        // SHA-256 of "key-1"
        "blastradius.auth.api-key-hashes=be2974546978e3739e6d6da85c4be9f334ce32df2b9fd4b6ff1b55c0d57e9d44"})
class AuthApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Map<String, String> STORED = new ConcurrentHashMap<>();
    static final FakeService SESSION_CACHE = FakeService.start("/sessions", AuthApiTest::sessionCache);

    @DynamicPropertySource
    static void sessionCacheUrl(DynamicPropertyRegistry registry) {
        registry.add("blastradius.auth.session-cache-url", SESSION_CACHE::url);
    }

    @AfterAll
    static void stop() {
        SESSION_CACHE.stop();
    }

    static Answer sessionCache(String method, String path, String body, com.sun.net.httpserver.HttpExchange exchange) {
        String id = path.substring("/sessions".length()).replaceFirst("^/", "");
        if (method.equals("POST") && id.isEmpty()) {
            JsonNode request = JSON.readTree(body);
            String stored = JSON.writeValueAsString(Map.of("id", request.path("id").asString(), "user", request.path("user").asString(),
                    "createdAt", Instant.now().toString(),
                    "expiresAt", Instant.now().plusSeconds(request.path("ttlSeconds").asLong()).toString()));
            STORED.put(request.path("id").asString(), stored);
            return new Answer(201, stored);
        }
        if (method.equals("GET")) {
            String stored = STORED.get(id);
            return stored == null ? new Answer(404, "{}") : new Answer(200, stored);
        }
        if (method.equals("DELETE")) {
            return STORED.remove(id) == null ? new Answer(404, "{}") : new Answer(204, null);
        }
        return new Answer(405, "{}");
    }

    @LocalServerPort
    int port;

    @BeforeEach
    void fastSessionCache() {
        SESSION_CACHE.delayMillis.set(0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    Reply login(String user, String password, String... headers) {
        return TestHttp.postJson(url("/auth/login"), "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}", headers);
    }

    @Test
    void loginIssuesA256BitUrlSafeTokenInBodyAndCookieAndStoresOnlyItsHash() {
        Reply reply = login("demo", "correct horse");

        assertThat(reply.status()).isEqualTo(200);
        String token = reply.json().path("token").asString();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(reply.json().path("tokenType").asString()).isEqualTo("Bearer");
        assertThat(Instant.parse(reply.json().path("expiresAt").asString())).isAfter(Instant.now().plusSeconds(60));
        assertThat(reply.headers().firstValue("set-cookie")).hasValueSatisfying(c ->
                assertThat(c).startsWith("br_session=" + token).contains("HttpOnly").contains("SameSite=Strict"));
        assertThat(STORED).containsKey(Tokens.storageId(token)).doesNotContainKey(token);
        assertThat(STORED.values()).noneMatch(v -> v.contains(token));
    }

    @Test
    void sessionResolvesABearerTokenOrACookieAndLogoutEndsIt() {
        String token = login("demo", "correct horse").json().path("token").asString();

        Reply bearer = TestHttp.get(url("/auth/session"), "Authorization", "Bearer " + token);
        assertThat(bearer.status()).isEqualTo(200);
        assertThat(bearer.json().path("user").asString()).isEqualTo("demo");
        assertThat(TestHttp.get(url("/auth/session"), "Cookie", "br_session=" + token).status()).isEqualTo(200);

        Reply logout = TestHttp.post(url("/auth/logout"), "", "Authorization", "Bearer " + token);
        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.headers().firstValue("set-cookie")).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));

        Reply after = TestHttp.get(url("/auth/session"), "Authorization", "Bearer " + token);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.errorType()).isEqualTo("authentication_error");
        assertThat(TestHttp.post(url("/auth/logout"), "", "Authorization", "Bearer " + token).status()).isEqualTo(401);
    }

    @Test
    void unknownMalformedOrMissingTokensAre401() {
        assertThat(TestHttp.get(url("/auth/session"), "Authorization", "Bearer " + "A".repeat(43)).status()).isEqualTo(401);
        assertThat(TestHttp.get(url("/auth/session"), "Authorization", "Bearer not-a-token").status()).isEqualTo(401);
        assertThat(TestHttp.get(url("/auth/session")).errorMessage()).isEqualTo("unknown or expired session");
        assertThat(TestHttp.post(url("/auth/logout"), "").status()).isEqualTo(401);
    }

    @Test
    void aWrongPasswordIs401AndRepeatedFailuresAreThrottledPerUserAndClient() {
        String[] client = {"X-Forwarded-For", "203.0.113.7"};
        for (int i = 0; i < 5; i++) {
            Reply wrong = login("demo", "wrong", client);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.errorMessage()).isEqualTo("invalid username or password");
        }
        Reply throttled = login("demo", "correct horse", client);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.errorType()).isEqualTo("rate_limit_error");
        assertThat(throttled.headers().firstValue("retry-after")).isPresent();

        assertThat(login("demo", "correct horse", "X-Forwarded-For", "203.0.113.8").status())
                .as("another client is not throttled").isEqualTo(200);
    }

    @Test
    void anUnknownUserIsRefusedLikeAWrongPassword() {
        Reply reply = login("nobody", "whatever");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.errorMessage()).isEqualTo("invalid username or password");
    }

    @Test
    void aSlowOrDeadSessionCacheIsAFast503() {
        SESSION_CACHE.delayMillis.set(5_000);
        Reply slow = login("demo", "correct horse", "X-Forwarded-For", "198.51.100.1");
        assertThat(slow.status()).isEqualTo(503);
        assertThat(slow.errorType()).isEqualTo("upstream_unavailable_error");
        assertThat(slow.errorMessage()).contains("session-cache");
    }

    @Test
    void badInputGetsADocumented4xxWithAJsonError() {
        assertError(TestHttp.postJson(url("/auth/login"), "{\"username\":"), 400, "not valid JSON");
        assertError(TestHttp.postJson(url("/auth/login"), "{\"password\":\"x\"}"), 400, "username: required");
        assertError(TestHttp.postJson(url("/auth/login"), "{\"username\":\"demo\"}"), 400, "password: required");
        assertError(TestHttp.postJson(url("/auth/login"), "{\"username\":\"de mo\",\"password\":\"x\"}"), 400, "username");
        assertError(TestHttp.postJson(url("/auth/login"), "{\"username\":\"demo\",\"password\":\"" + "p".repeat(70_000) + "\"}"),
                413, "at most");
        assertError(TestHttp.post(url("/auth/login"), "username=demo", "content-type", "application/x-www-form-urlencoded"),
                415, "application/json");
        assertError(TestHttp.get(url("/auth/login")), 405, "GET");
        assertError(TestHttp.get(url("/auth/elsewhere")), 404, "no route");
    }

    @Test
    void apiKeysAreVerifiedAgainstTheirHashes() {
        assertThat(TestHttp.post(url("/auth/api-keys/verify"), "", "x-api-key", "key-1").status()).isEqualTo(200);
        assertThat(TestHttp.post(url("/auth/api-keys/verify"), "", "x-api-key", "key-2").status()).isEqualTo(401);
        assertThat(TestHttp.post(url("/auth/api-keys/verify"), "").status()).isEqualTo(401);
    }

    static void assertError(Reply reply, int status, String messagePart) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.errorMessage()).contains(messagePart);
    }
}
