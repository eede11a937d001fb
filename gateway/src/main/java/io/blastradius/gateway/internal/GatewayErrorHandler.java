package io.blastradius.gateway.internal;

import io.blastradius.support.PayloadTooLargeException;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.factory.SpringCloudCircuitBreakerFilterFactory.CircuitBreakerStatusCodeException;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * The gateway's graceful failure: every error becomes a JSON body with a documented status. Anything a
 * downstream did wrong (down, slow, refusing, circuit open) is 503; a full bulkhead is 429; the
 * client's own mistakes keep their 4xx. Only a defect of the gateway itself is a 500.
 */
@Order(-2)
public class GatewayErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        String route = routeOf(exchange);
        Outcome outcome = classify(error, route, exchange);
        if (outcome.status() == 500) {
            log.error("gateway defect on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
        }
        return JsonResponses.write(exchange.getResponse(), outcome.status(), outcome.message());
    }

    record Outcome(int status, String message) {
    }

    static Outcome classify(Throwable error, String route, ServerWebExchange exchange) {
        String where = route == null ? "" : "route '" + route + "': ";
        if (error instanceof CallNotPermittedException e) {
            return new Outcome(503, where + "circuit breaker '" + e.getCausingCircuitBreakerName()
                    + "' is open after repeated downstream failures; failing fast");
        }
        if (error instanceof ServiceUnavailableException) {
            // what the CircuitBreaker gateway filter throws when its circuit is open
            return new Outcome(503, where + "the circuit breaker is open after repeated downstream failures; failing fast");
        }
        if (error instanceof BulkheadFullException) {
            return new Outcome(429, where + "too many concurrent calls to this downstream; retry shortly");
        }
        if (error instanceof TimeoutException || error instanceof ReadTimeoutException) {
            return new Outcome(503, where + "the downstream did not answer in time");
        }
        if (error instanceof CircuitBreakerStatusCodeException e) {
            return new Outcome(503, where + "the downstream failed (" + e.getStatusCode().value() + ")");
        }
        if (error instanceof UpstreamUnavailableException e) {
            return new Outcome(503, where + e.getMessage());
        }
        if (error instanceof ResponseStatusException e) {
            int status = e.getStatusCode().value();
            if (status == 404) {
                return new Outcome(404, "no route for " + exchange.getRequest().getMethod() + " "
                        + exchange.getRequest().getPath().value());
            }
            if (status == 504) {
                return new Outcome(503, where + "the downstream did not answer in time");
            }
            if (status >= 500) {
                return new Outcome(503, where + "the downstream is unavailable (" + status + ")");
            }
            return new Outcome(status, e.getReason() == null ? "request failed" : e.getReason());
        }
        if (error instanceof PayloadTooLargeException e) {
            return new Outcome(413, e.getMessage());
        }
        if (error instanceof WebClientRequestException || error instanceof ConnectTimeoutException
                || error instanceof IOException) {
            return new Outcome(503, where + "the downstream is unreachable (" + error.getClass().getSimpleName() + ")");
        }
        if (error.getCause() != null && error.getCause() != error) {
            Outcome cause = classify(error.getCause(), route, exchange);
            if (cause.status() != 500) {
                return cause;
            }
        }
        return new Outcome(500, "internal gateway error (" + error.getClass().getSimpleName() + ")");
    }

    private static String routeOf(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route == null ? null : route.getId();
    }
}
