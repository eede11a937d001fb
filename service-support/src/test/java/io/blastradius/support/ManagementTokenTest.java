package io.blastradius.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManagementTokenTest {

    @Test
    void acceptsOnlyTheExactBearerToken() {
        ManagementToken token = new ManagementToken("s3cret");
        assertThat(token.accepts("Bearer s3cret")).isTrue();
        assertThat(token.accepts("Bearer s3cret2")).isFalse();
        assertThat(token.accepts("Bearer S3CRET")).isFalse();
        assertThat(token.accepts("Basic s3cret")).isFalse();
        assertThat(token.accepts(null)).isFalse();
    }

    @Test
    void withoutAConfiguredTokenEverythingIsRefused() {
        ManagementToken token = new ManagementToken("");
        assertThat(token.accepts("Bearer ")).isFalse();
        assertThat(token.accepts("Bearer anything")).isFalse();
        assertThat(token.refusal()).contains("no blastradius.management.token is configured");
    }

    @Test
    void onlyHealthIsOpen() {
        assertThat(ManagementToken.isOpen("/actuator/health")).isTrue();
        assertThat(ManagementToken.isOpen("/actuator/health/readiness")).isTrue();
        assertThat(ManagementToken.isOpen("/actuator/healthz")).isFalse();
        assertThat(ManagementToken.isOpen("/actuator/chaosmonkey")).isFalse();
        assertThat(ManagementToken.isOpen("/actuator/prometheus")).isFalse();
    }

    @Test
    void errorTypesFollowTheirStatus() {
        assertThat(ApiError.forStatus(503, "x").error().type()).isEqualTo("upstream_unavailable_error");
        assertThat(ApiError.forStatus(529, "x").error().type()).isEqualTo("overloaded_error");
        assertThat(ApiError.forStatus(429, "x").error().type()).isEqualTo("rate_limit_error");
        assertThat(ApiError.forStatus(418, "x").error().type()).isEqualTo("invalid_request_error");
    }
}
