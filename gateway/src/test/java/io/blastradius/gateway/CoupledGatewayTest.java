package io.blastradius.gateway;

import io.blastradius.support.FakeService;
import io.blastradius.support.TestHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The negative control: the coupled profile puts the public API behind auth-service. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("coupled")
class CoupledGatewayTest extends GatewayTestSupport {

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
    void apiKeysAreCheckedByCallingAuthServiceSoApiFailsWhenAuthDies() {
        long before = AUTH.requests.get();
        assertThat(api(MESSAGE, API_KEY).status()).isEqualTo(200);
        assertThat(api(MESSAGE, "wrong").status()).isEqualTo(401);
        assertThat(AUTH.requests.get() - before).as("each api call asked auth-service").isEqualTo(2);
        assertThat(api(MESSAGE, "k".repeat(300)).status()).isEqualTo(401);
        assertThat(AUTH.requests.get() - before).as("an over-long key is refused before anyone is asked").isEqualTo(2);

        AUTH.stop();
        Reply api = api(MESSAGE, API_KEY);
        assertThat(api.status()).isEqualTo(503);
        assertThat(api.errorType()).isEqualTo("upstream_unavailable_error");
    }
}
