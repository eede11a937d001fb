package io.blastradius.gateway;

import io.blastradius.support.FakeService;
import io.blastradius.support.TestHttp;
import io.blastradius.support.TestHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The decoupled gateway keeps the api route healthy while auth-service stalls, then dies. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "blastradius.gateway.session-cache-ttl=0s")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayIsolationTest extends GatewayTestSupport {

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

    @Test
    @Order(1)
    void aStalledAuthServiceFailsAppFastWith503ThenOpensTheCircuitWhileApiStays200() {
        assertThat(app(GOOD_TOKEN).status()).isEqualTo(200);
        AUTH.delayMillis.set(10_000);

        List<Reply> app = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            app.add(app(GOOD_TOKEN));
            assertThat(api(MESSAGE, API_KEY).status()).as("api while auth stalls").isEqualTo(200);
        }
        // graceful: every app call is a JSON 503, none waits for the 10 s stall
        assertThat(app).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.errorType()).isEqualTo("upstream_unavailable_error");
            assertThat(r.millis()).isLessThan(5_000);
        });
        assertThat(app.get(app.size() - 1).errorMessage()).contains("circuit breaker 'auth-session' is open");
        List<Reply> logins = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            logins.add(TestHttp.postJson(url("/auth/login"), "{}"));
        }
        // found by the auth-latency experiment: an open 'auth' circuit surfaced as a 500
        assertThat(logins).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.errorType()).isEqualTo("upstream_unavailable_error");
        });
        assertThat(logins.get(logins.size() - 1).errorMessage()).contains("circuit breaker is open");
    }

    @Test
    @Order(2)
    void aDeadAuthServiceLeavesApiAnswering200AndLoginFailingGracefully() {
        AUTH.stop();

        assertThat(api(MESSAGE, API_KEY).status()).isEqualTo(200);
        Reply login = TestHttp.postJson(url("/auth/login"), "{\"username\":\"demo\",\"password\":\"x\"}");
        assertThat(login.status()).isEqualTo(503);
        assertThat(login.errorType()).isEqualTo("upstream_unavailable_error");
        assertThat(app("C".repeat(43)).status()).isEqualTo(503);
    }
}
