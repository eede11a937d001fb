package io.blastradius.gateway;

import io.blastradius.support.FakeService;
import io.blastradius.support.TestHttp;
import io.blastradius.support.TestHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A surge of logins beyond the limit gets fast JSON 429s; the rest reach auth-service; the api is not limited. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "blastradius.gateway.login-rate-limit=1")
class LoginRateLimitTest extends GatewayTestSupport {

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
    void loginsBeyondTheRateAreRefusedAtOnceWith429() {
        long before = AUTH.requests.get();
        List<Reply> logins = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            logins.add(TestHttp.postJson(url("/auth/login"), "{}"));
        }
        List<Reply> refused = logins.stream().filter(r -> r.status() == 429).toList();
        // 1/s holds one login and lets one more through each second: half refused unless the 20 calls took over 9 s
        assertThat(refused).hasSizeGreaterThanOrEqualTo(10);
        assertThat(refused.get(0).errorType()).isEqualTo("rate_limit_error");
        assertThat(refused.get(0).headers().firstValue("retry-after")).contains("1");
        assertThat(AUTH.requests.get() - before).as("only admitted logins reached auth-service").isEqualTo(20 - refused.size());
        for (int i = 0; i < 20; i++) {
            assertThat(api(MESSAGE, API_KEY).status()).as("the api has no such limit").isEqualTo(200);
        }
    }
}
