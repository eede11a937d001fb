package io.blastradius.gateway.internal;

import io.blastradius.support.ApiKeys;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/** {@code ApiKey}: the request must carry a valid {@code x-api-key}, else 401. The key is not forwarded. */
public class ApiKeyGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    static final String HEADER = "x-api-key";

    private final ApiKeyVerifier verifier;

    public ApiKeyGatewayFilterFactory(ApiKeyVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public GatewayFilter apply(Object config) {
        return (exchange, chain) -> {
            String key = exchange.getRequest().getHeaders().getFirst(HEADER);
            if (key == null || key.isBlank()) {
                return JsonResponses.write(exchange.getResponse(), 401, "the x-api-key header is required");
            }
            if (key.length() > ApiKeys.MAX_KEY_LENGTH) {
                // refused here, for every verifier: the coupled one would otherwise send it to auth-service
                return JsonResponses.write(exchange.getResponse(), 401, "invalid API key");
            }
            return verifier.isValid(key).flatMap(valid -> valid
                    ? chain.filter(exchange.mutate().request(r -> r.headers(h -> h.remove(HEADER))).build())
                    : JsonResponses.write(exchange.getResponse(), 401, "invalid API key"));
        };
    }
}
