package io.blastradius.replica;

import io.blastradius.environment.RunIds;
import io.blastradius.experiment.Hop;
import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.blastradius.replica.ReplicaHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole replica, for real: Redis, four JVMs, the demo user and key, walked end to end. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalReplicaIT {

    static LocalReplica replica;
    static ReplicaHttp http;

    @BeforeAll
    static void start() {
        Path home = ReplicaHttp.home();
        replica = LocalReplica.start(ReplicaOptions.custom(home)
                .runDir(home.resolve("experiments/local/target/it-runs/replica-" + RunIds.next()))
                .property(Service.AUTH_SERVICE, "blastradius.auth.session-ttl", "5s")
                .build());
        http = new ReplicaHttp(replica.info().gatewayUrl());
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    @Order(1)
    void replicaJsonDescribesEveryPartAndOnlyItsOwnerCanReadIt() throws Exception {
        Path json = replica.replicaJson();
        assertThat(Files.getPosixFilePermissions(json)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        var info = ReplicaHttp.JSON.readTree(json.toFile());
        assertThat(info.path("services").propertyNames()).containsExactly(
                "redis", "session-cache", "auth-service", "inference-stub", "gateway");
        assertThat(info.path("links").propertyNames()).containsExactly(
                "gateway->auth-service", "gateway->inference-stub", "auth-service->session-cache", "session-cache->redis");
        assertThat(info.path("links").path("gateway->auth-service").path("proxy").asString()).isEqualTo("gateway-to-auth-service");
        assertThat(info.path("links").path("gateway->auth-service").path("upstream").asString())
                .isEqualTo("127.0.0.1:" + info.path("services").path("auth-service").path("port").asInt());
        assertThat(info.path("faultProxyUrl").asString()).startsWith("http://127.0.0.1:");
        assertThat(info.path("managementToken").asString()).hasSizeGreaterThan(20);
        assertThat(info.path("gatewayUrl").asString()).startsWith("http://127.0.0.1:");
    }

    @Test
    @Order(2)
    void loginThenAppChatThenLogoutThenAppChatIsRefused() {
        Reply login = http.login(ReplicaOptions.DEMO_USER, ReplicaOptions.DEMO_PASSWORD);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String token = login.json().path("token").asString();

        Reply chat = http.app(token);
        assertThat(chat.status()).as(chat.body()).isEqualTo(200);
        assertThat(chat.json().path("content").get(0).path("text").asString()).isNotBlank();

        assertThat(http.logout(token).status()).isEqualTo(204);
        Reply refused = http.app(token);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.errorType()).isEqualTo("authentication_error");
    }

    @Test
    @Order(3)
    void apiKeyToMessagePlainAndStreamed() {
        Reply plain = http.api(ReplicaHttp.MESSAGE, ReplicaOptions.DEMO_API_KEY);
        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(plain.json().path("type").asString()).isEqualTo("message");

        Reply streamed = http.api(ReplicaHttp.MESSAGE.replace("{\"model\"", "{\"stream\":true,\"model\""), ReplicaOptions.DEMO_API_KEY);
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.raw().headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        assertThat(streamed.body()).contains("event:message_start").contains("event:message_stop");
        long deltas = streamed.body().lines().filter(l -> l.equals("event:content_block_delta")).count();
        assertThat(deltas).isEqualTo(plain.json().path("usage").path("output_tokens").asLong());
    }

    @Test
    @Order(4)
    void badInputOnEveryRouteIsADocumented4xxWithAJsonErrorNeverA500() {
        String key = ReplicaOptions.DEMO_API_KEY;
        expect(http.api("{\"model\":", key), 400, "invalid_request_error");
        expect(http.api("{\"model\":\"m\",\"messages\":[]}", key), 400, "invalid_request_error");
        expect(http.api("x".repeat(100_000), key), 413, "request_too_large");
        expect(http.api(ReplicaHttp.MESSAGE, "not-the-key"), 401, "authentication_error");
        expect(http.post("/v1/messages", ReplicaHttp.MESSAGE), 401, "authentication_error");
        expect(http.login(ReplicaOptions.DEMO_USER, "wrong-password"), 401, "authentication_error");
        expect(http.post("/auth/login", "{\"username\":"), 400, "invalid_request_error");
        expect(http.post("/auth/login", "{\"username\":\"demo\"}"), 400, "invalid_request_error");
        expect(http.app("A".repeat(43)), 401, "authentication_error");
        expect(http.app("malformed"), 401, "authentication_error");
        expect(http.logout("A".repeat(43)), 401, "authentication_error");
        expect(http.get("/no/such/route"), 404, "not_found_error");
        expect(http.get("/actuator/chaosmonkey"), 404, "not_found_error");
    }

    @Test
    @Order(5)
    void everyHopGoesThroughItsFaultProxyAndALatencyToxicOnAuthSlowsLoginButNotTheApi() throws Exception {
        ToxiproxyClient toxiproxy = new ToxiproxyClient("127.0.0.1", replica.info().faultProxyUrl().getPort());
        assertThat(toxiproxy.getProxies()).extracting(Proxy::getName).containsExactly(
                "auth-service-to-session-cache", "gateway-to-auth-service", "gateway-to-inference-stub", "session-cache-to-redis");
        Proxy auth = toxiproxy.getProxy(Hop.GATEWAY_AUTH.proxyName());
        auth.toxics().latency("slow-auth", ToxicDirection.DOWNSTREAM, 400);
        try {
            long start = System.nanoTime();
            assertThat(http.login(ReplicaOptions.DEMO_USER, ReplicaOptions.DEMO_PASSWORD).status()).isEqualTo(200);
            assertThat((System.nanoTime() - start) / 1_000_000).as("login crosses the slowed hop").isGreaterThanOrEqualTo(400);
            String authBytes = authBytes();
            assertThat(http.api(ReplicaHttp.MESSAGE, ReplicaOptions.DEMO_API_KEY).status()).isEqualTo(200);
            assertThat(authBytes()).as("the api sent not one byte over gateway->auth-service").isEqualTo(authBytes);
        } finally {
            toxiproxy.reset();
        }
        String metrics = faultProxyMetrics();
        assertThat(metrics).contains("blastradius_toxic_connections_total{proxy=\"gateway-to-auth-service\",toxic=\"slow-auth\"}");
        for (Hop hop : Hop.values()) {
            assertThat(metrics).as("traffic crossed " + hop.wireName())
                    .containsPattern("blastradius_proxy_connections_total\\{proxy=\"" + hop.proxyName() + "\".*\\} [1-9]");
        }
    }

    static String faultProxyMetrics() throws IOException {
        try (InputStream in = replica.info().faultProxyUrl().resolve("/metrics").toURL().openStream()) {
            return new String(in.readAllBytes());
        }
    }

    static String authBytes() throws IOException {
        return faultProxyMetrics().lines()
                .filter(l -> l.startsWith("toxiproxy_proxy_received_bytes_total{proxy=\"gateway-to-auth-service\"")
                        && l.contains("direction=\"upstream\""))
                .findFirst().orElseThrow();
    }

    @Test
    @Order(6)
    void anExpiredSessionIsRefused() throws InterruptedException {
        String token = http.login(ReplicaOptions.DEMO_USER, ReplicaOptions.DEMO_PASSWORD).json().path("token").asString();
        assertThat(http.app(token).status()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Reply reply = http.app(token);
        while (reply.status() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            reply = http.app(token);
        }
        assertThat(reply.status()).as("the 5 s session has expired").isEqualTo(401);
        assertThat(reply.json().path("error").path("message").asString()).contains("expired");
    }

    @Test
    @Order(7)
    void withAuthServiceKilledTheApiStillAnswersAndLoginFailsGracefully() throws Exception {
        ProcessHandle auth = ProcessHandle.of(replica.pidOf(Service.AUTH_SERVICE)).orElseThrow();
        auth.destroyForcibly();
        auth.onExit().get(10, TimeUnit.SECONDS);

        for (int i = 0; i < 20; i++) {
            Reply api = http.api(ReplicaHttp.MESSAGE, ReplicaOptions.DEMO_API_KEY);
            assertThat(api.status()).as(api.body()).isEqualTo(200);
        }
        for (Reply login : List.of(http.login(ReplicaOptions.DEMO_USER, ReplicaOptions.DEMO_PASSWORD),
                http.app("A".repeat(43)))) {
            expect(login, 503, "upstream_unavailable_error");
        }
    }

    @Test
    @Order(8)
    void otherSettingsRestartOnlyTheServicesTheyChangeOnTheSamePorts() throws Exception {
        Map<Service, Long> before = new EnumMap<>(Service.class);
        for (Service service : List.of(Service.REDIS, Service.SESSION_CACHE, Service.INFERENCE_STUB)) {
            before.put(service, replica.pidOf(service));
        }
        long gateway = replica.pidOf(Service.GATEWAY);
        Map<Service, Map<String, String>> auth5s = Map.of(Service.AUTH_SERVICE, Map.of("blastradius.auth.session-ttl", "5s"));

        assertThat(replica.reconfigure(ReplicaProfile.COUPLED, auth5s)).as("a profile is the gateway's").containsExactly(Service.GATEWAY);
        before.forEach((service, pid) -> assertThat(replica.pidOf(service)).as(service.wireName() + " kept running").isEqualTo(pid));
        assertThat(replica.pidOf(Service.GATEWAY)).isNotEqualTo(gateway);
        assertThat(arguments(Service.GATEWAY)).contains("--spring.profiles.active=coupled");
        var info = ReplicaHttp.JSON.readTree(replica.replicaJson().toFile());
        assertThat(info.path("profile").asString()).isEqualTo("coupled");
        assertThat(info.path("services").path("gateway").path("pid").asLong()).isEqualTo(replica.pidOf(Service.GATEWAY));
        // the coupled gateway checks API keys with auth-service, which the test before killed: the api goes down with it
        Reply api = http.api(ReplicaHttp.MESSAGE, ReplicaOptions.DEMO_API_KEY);
        assertThat(api.status()).as(api.body()).isNotEqualTo(200);

        assertThat(replica.reconfigure(ReplicaProfile.COUPLED, auth5s)).as("the same settings again").isEmpty();
        assertThat(replica.reconfigure(ReplicaProfile.COUPLED, Map.of(Service.AUTH_SERVICE, Map.of("blastradius.auth.session-ttl", "1h"))))
                .containsExactly(Service.AUTH_SERVICE);
        assertThat(arguments(Service.AUTH_SERVICE)).contains("--blastradius.auth.session-ttl=1h").doesNotContain("--blastradius.auth.session-ttl=5s");
        api = http.api(ReplicaHttp.MESSAGE, ReplicaOptions.DEMO_API_KEY);
        assertThat(api.status()).as("auth-service is back, on the port the gateway knows: " + api.body()).isEqualTo(200);
    }

    @Test
    @Order(9)
    void sessionsOutliveARedisCrashOnlyWhenItKeepsAnAppendOnlyFile() throws Exception {
        Map<String, String> auth = Map.of("blastradius.auth.session-ttl", "1h");
        long redis = replica.pidOf(Service.REDIS);
        assertThat(replica.reconfigure(ReplicaProfile.COUPLED, Map.of(Service.AUTH_SERVICE, auth,
                Service.REDIS, Map.of("appendonly", "yes", "appendfsync", "always")))).containsExactly(Service.REDIS);
        assertThat(replica.pidOf(Service.REDIS)).isNotEqualTo(redis);
        assertThat(Files.readString(Path.of(replica.info().runDir()).resolve("redis.conf"))).contains("appendonly yes", "appendfsync always");
        assertThat(sessionAfterARedisCrash()).as("persisted").isEqualTo(200);

        // the negative control: Redis as shipped keeps nothing, and the same crash logs the user out
        assertThat(replica.reconfigure(ReplicaProfile.COUPLED, Map.of(Service.AUTH_SERVICE, auth))).containsExactly(Service.REDIS);
        assertThat(sessionAfterARedisCrash()).as("not persisted").isEqualTo(401);

        assertThatThrownBy(() -> replica.reconfigure(ReplicaProfile.COUPLED, Map.of(Service.REDIS, Map.of("dir", "/"))))
                .hasMessageStartingWith("Redis setting 'dir: /' is not one a replica takes");
    }

    /** Logs in, kills Redis and starts it again, and answers the app route's status for that session. */
    static int sessionAfterARedisCrash() throws Exception {
        // Redis was just restarted with its new settings (a clean-clone CI run met a 503 here)
        Reply login = ReplicaHttp.pastA503(() -> http.login(ReplicaOptions.DEMO_USER, ReplicaOptions.DEMO_PASSWORD));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String token = login.json().path("token").asString();
        ProcessHandle redis = ProcessHandle.of(replica.pidOf(Service.REDIS)).orElseThrow();
        // SIGKILL; it stays a zombie until its wrapper, which restart() ends, reaps it
        redis.destroyForcibly();
        replica.restart(Service.REDIS);
        // past the gateway's cache of validated sessions (2 s), so that the answer is Redis's
        Thread.sleep(2_500);
        // session-cache's Redis client reconnects on its own, after a growing delay: 503 until then
        return ReplicaHttp.pastA503(() -> http.app(token)).status();
    }

    static List<String> arguments(Service service) {
        return List.of(ProcessHandle.of(replica.pidOf(service)).orElseThrow().info().arguments().orElseThrow());
    }

    static void expect(Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.errorType()).as(reply.body()).isEqualTo(type);
    }
}
