package io.blastradius.gateway.internal;

import io.blastradius.support.ApiError;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes an {@link ApiError} as the whole response. */
public final class JsonResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonResponses() {
    }

    public static Mono<Void> write(ServerHttpResponse response, int status, String message) {
        return write(response, status, ApiError.forStatus(status, message));
    }

    public static Mono<Void> write(ServerHttpResponse response, int status, ApiError error) {
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.setStatusCode(HttpStatusCode.valueOf(status));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().remove("Content-Length");
        if (status == 503 || status == 429) {
            response.getHeaders().set("Retry-After", "1");
        }
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(JSON.writeValueAsBytes(error))));
    }
}
