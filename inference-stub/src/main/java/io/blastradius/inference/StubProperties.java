package io.blastradius.inference;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How the stub behaves: how long until its first token, how long per further token, and how many
 * requests it serves at once before answering 529 {@code overloaded_error}.
 */
@ConfigurationProperties("blastradius.inference")
public record StubProperties(Duration timeToFirstToken, Duration perTokenDelay, int maxConcurrency) {

    public StubProperties {
        timeToFirstToken = timeToFirstToken == null ? Duration.ofMillis(5) : timeToFirstToken;
        perTokenDelay = perTokenDelay == null ? Duration.ofMillis(1) : perTokenDelay;
        maxConcurrency = maxConcurrency == 0 ? 64 : maxConcurrency;
        if (timeToFirstToken.isNegative()) {
            throw new IllegalArgumentException("blastradius.inference.time-to-first-token must not be negative, but was " + timeToFirstToken);
        }
        if (perTokenDelay.isNegative()) {
            throw new IllegalArgumentException("blastradius.inference.per-token-delay must not be negative, but was " + perTokenDelay);
        }
        if (maxConcurrency < 0) {
            throw new IllegalArgumentException("blastradius.inference.max-concurrency must be positive, but was " + maxConcurrency);
        }
    }
}
