package io.blastradius.gateway.internal;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/** {@code EvictSession}: on logout, forget the token's cached validation at once. */
public class EvictSessionGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private final SessionValidator validator;

    public EvictSessionGatewayFilterFactory(SessionValidator validator) {
        this.validator = validator;
    }

    @Override
    public GatewayFilter apply(Object config) {
        return (exchange, chain) -> {
            SessionTokens.from(exchange.getRequest()).ifPresent(validator::evict);
            return chain.filter(exchange);
        };
    }
}
