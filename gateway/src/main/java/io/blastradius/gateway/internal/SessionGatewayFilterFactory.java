package io.blastradius.gateway.internal;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

import java.util.Optional;

/**
 * {@code Session}: the request must carry a valid session token, else 401. The token and cookies are
 * not forwarded; the user is, as {@code x-blastradius-user}.
 */
public class SessionGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    static final String USER_HEADER = "x-blastradius-user";

    private final SessionValidator validator;

    public SessionGatewayFilterFactory(SessionValidator validator) {
        this.validator = validator;
    }

    @Override
    public GatewayFilter apply(Object config) {
        return (exchange, chain) -> {
            Optional<String> token = SessionTokens.from(exchange.getRequest());
            if (token.isEmpty()) {
                return JsonResponses.write(exchange.getResponse(), 401,
                        "a session is required: log in at /auth/login, then send 'Authorization: Bearer <token>'");
            }
            return validator.validate(token.get()).flatMap(principal -> principal.isEmpty()
                    ? JsonResponses.write(exchange.getResponse(), 401, "unknown or expired session")
                    : chain.filter(exchange.mutate().request(r -> r.headers(h -> {
                        h.remove("Authorization");
                        h.remove("Cookie");
                        h.set(USER_HEADER, principal.get().user());
                    })).build()));
        };
    }
}
