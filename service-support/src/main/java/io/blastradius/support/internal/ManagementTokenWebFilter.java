package io.blastradius.support.internal;

import io.blastradius.support.ApiError;
import io.blastradius.support.ManagementToken;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Guards the reactive management server: every endpoint but health needs the management token. */
public class ManagementTokenWebFilter implements WebFilter {

    private final ManagementToken token;
    private final JsonMapper json;

    public ManagementTokenWebFilter(ManagementToken token, JsonMapper json) {
        this.token = token;
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (ManagementToken.isOpen(path) || token.accepts(authorization)) {
            return chain.filter(exchange);
        }
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        DataBuffer body = response.bufferFactory()
                .wrap(json.writeValueAsBytes(ApiError.of(ApiError.AUTHENTICATION, token.refusal())));
        return response.writeWith(Mono.just(body));
    }
}
