package io.blastradius.gateway.internal;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/**
 * {@code LoginRateLimit}: at most so many logins per second reach auth-service (a token bucket kept in
 * the gateway's memory, never in Redis); the rest are refused at once with 429. A surge of new users
 * then costs the shared CPU a bounded amount instead of all of it. Found by the login-surge experiment.
 */
public class LoginRateLimitGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private final TokenBucket bucket;

    public LoginRateLimitGatewayFilterFactory(double perSecond) {
        this.bucket = new TokenBucket(perSecond);
    }

    @Override
    public GatewayFilter apply(Object config) {
        return (exchange, chain) -> bucket.tryTake()
                ? chain.filter(exchange)
                : JsonResponses.write(exchange.getResponse(), 429, "too many logins right now; retry in a second");
    }

    /** Refills continuously at {@code perSecond}, holding at most a quarter second's worth: no big first burst. */
    static final class TokenBucket {
        private final double perSecond;
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        TokenBucket(double perSecond) {
            if (perSecond <= 0) {
                throw new IllegalArgumentException("blastradius.gateway.login-rate-limit must be positive, but was " + perSecond);
            }
            this.perSecond = perSecond;
            this.capacity = Math.max(1, Math.ceil(perSecond / 4));
            this.tokens = capacity;
        }

        synchronized boolean tryTake() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
