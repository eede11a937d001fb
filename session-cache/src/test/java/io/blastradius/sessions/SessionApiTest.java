package io.blastradius.sessions;

import io.blastradius.support.TestHttp;
import io.blastradius.support.TestHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** session-cache against a real Redis (the embedded-redis binary) over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "blastradius.management.token=test-token"})
class SessionApiTest {

    static final int REDIS_PORT = freePort();
    static final RedisServer REDIS = startRedis();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", () -> REDIS_PORT);
    }

    @AfterAll
    static void stopRedis() throws IOException {
        REDIS.stop();
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    String sessions() {
        return "http://127.0.0.1:" + port + "/sessions";
    }

    static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void createsReadsTouchesAndDeletesASession() {
        String id = newId();
        Reply created = TestHttp.postJson(sessions(), "{\"id\":\"" + id + "\",\"user\":\"alice\",\"ttlSeconds\":60}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("user").asString()).isEqualTo("alice");

        Reply found = TestHttp.get(sessions() + "/" + id);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().path("expiresAt").asString()).isEqualTo(created.json().path("expiresAt").asString());

        Reply touched = TestHttp.postJson(sessions() + "/" + id + "/touch", "{\"ttlSeconds\":600}");
        assertThat(touched.status()).isEqualTo(200);
        assertThat(touched.json().path("expiresAt").asString()).isGreaterThan(created.json().path("expiresAt").asString());

        assertThat(TestHttp.delete(sessions() + "/" + id).status()).isEqualTo(204);
        assertThat(TestHttp.get(sessions() + "/" + id).errorType()).isEqualTo("not_found_error");
        assertThat(TestHttp.delete(sessions() + "/" + id).status()).isEqualTo(404);
    }

    @Test
    void redisExpiresASessionAtItsTtl() throws InterruptedException {
        String id = newId();
        TestHttp.postJson(sessions(), "{\"id\":\"" + id + "\",\"user\":\"bob\",\"ttlSeconds\":1}");
        long deadline = System.currentTimeMillis() + 5_000;
        int status = 200;
        while (status == 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            status = TestHttp.get(sessions() + "/" + id).status();
        }
        assertThat(status).isEqualTo(404);
        assertThat(TestHttp.postJson(sessions() + "/" + id + "/touch", "{\"ttlSeconds\":5}").status()).isEqualTo(404);
    }

    @Test
    void aSecondSessionWithTheSameIdIsAConflict() {
        String body = "{\"id\":\"" + newId() + "\",\"user\":\"carol\",\"ttlSeconds\":60}";
        assertThat(TestHttp.postJson(sessions(), body).status()).isEqualTo(201);
        Reply again = TestHttp.postJson(sessions(), body);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorType()).isEqualTo("conflict_error");
    }

    @Test
    void badInputGetsADocumented4xxWithAJsonError() {
        assertError(TestHttp.postJson(sessions(), "{not json"), 400, "not valid JSON");
        assertError(TestHttp.postJson(sessions(), "{\"id\":\"short\",\"user\":\"a\",\"ttlSeconds\":5}"), 400, "id: required, 16 to 128");
        assertError(TestHttp.postJson(sessions(), "{\"id\":\"" + newId() + "\",\"ttlSeconds\":5}"), 400, "user: required");
        assertError(TestHttp.postJson(sessions(), "{\"id\":\"" + newId() + "\",\"user\":\"a\",\"ttlSeconds\":0}"), 400,
                "ttlSeconds: required, from 1 to 86400, but was 0");
        assertError(TestHttp.postJson(sessions(), "{\"id\":\"" + newId() + "\",\"user\":\"a\"}"), 400, "ttlSeconds");
        assertError(TestHttp.get(sessions() + "/bad$id"), 400, "id: required");
        assertError(TestHttp.postJson(sessions(), "[" + "1,".repeat(40_000) + "1]"), 413, "at most");
        assertThat(TestHttp.get("http://127.0.0.1:" + port + "/nothing").errorType()).isEqualTo("not_found_error");
    }

    @Test
    void healthReflectsRedisAndCallsFailFastWith503WhileItIsDown() throws Exception {
        String health = "http://127.0.0.1:" + managementPort + "/actuator/health";
        assertThat(TestHttp.get(health).status()).isEqualTo(200);
        REDIS.stop();
        try {
            Reply reply = TestHttp.get(sessions() + "/" + newId());
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.errorType()).isEqualTo("upstream_unavailable_error");
            assertThat(reply.errorMessage()).contains("Redis");
            Reply down = TestHttp.get(health);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().path("status").asString()).isEqualTo("DOWN");
        } finally {
            REDIS.start();
            // the client reconnects after a delay: the next test must not meet a 503 of this one's making
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
            while (TestHttp.get(health).status() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
    }

    static void assertError(Reply reply, int status, String messagePart) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.errorMessage()).contains(messagePart);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RedisServer startRedis() {
        try {
            RedisServer server = new RedisServer(REDIS_PORT);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
