package io.blastradius.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MutableClock clock = new MutableClock();
    final LoginThrottle throttle = new LoginThrottle(
            new AuthProperties.Throttle(3, Duration.ofMinutes(1), Duration.ofSeconds(30)), clock);

    @Test
    void locksOutAfterMaxFailuresForTheLockoutThenLetsTryAgain() {
        throttle.failed("u", "c");
        throttle.failed("u", "c");
        assertThat(throttle.retryAfter("u", "c")).isEmpty();
        throttle.failed("u", "c");
        assertThat(throttle.retryAfter("u", "c")).contains(Duration.ofSeconds(30));

        clock.now = clock.now.plusSeconds(31);
        assertThat(throttle.retryAfter("u", "c")).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        throttle.failed("u", "c");
        throttle.failed("u", "c");
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        throttle.failed("u", "c");
        assertThat(throttle.retryAfter("u", "c")).isEmpty();
    }

    @Test
    void aSuccessForgetsFailuresAndOthersAreNotAffected() {
        throttle.failed("u", "c");
        throttle.failed("u", "c");
        throttle.succeeded("u", "c");
        throttle.failed("u", "c");
        assertThat(throttle.retryAfter("u", "c")).isEmpty();
        for (int i = 0; i < 3; i++) {
            throttle.failed("u", "other");
        }
        assertThat(throttle.retryAfter("u", "other")).isPresent();
        assertThat(throttle.retryAfter("u", "c")).isEmpty();
        assertThat(throttle.retryAfter("v", "other")).isEmpty();
    }
}
