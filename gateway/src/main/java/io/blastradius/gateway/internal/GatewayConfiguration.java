package io.blastradius.gateway.internal;

import io.blastradius.gateway.GatewaySettings;
import io.netty.channel.ChannelOption;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.time.Duration;

/**
 * The gateway's beans. Decoupled by default; the {@code coupled} profile swaps in the classic mistakes
 * (see {@link RemoteApiKeyVerifier} and application-coupled.yml).
 */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

    /** Session lookups get their own bounded pool: a slow auth-service cannot take the routing pools with it. */
    @Bean
    SessionValidator sessionValidator(GatewaySettings settings, ReactiveCircuitBreakerFactory<?, ?> breakers) {
        ConnectionProvider pool = ConnectionProvider.builder("auth-session")
                .maxConnections(settings.sessionLookupConnections())
                .pendingAcquireMaxCount(settings.sessionLookupConnections() * 4)
                .pendingAcquireTimeout(Duration.ofMillis(250))
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 500)
                .responseTimeout(Duration.ofSeconds(2));
        WebClient client = WebClient.builder()
                .baseUrl(settings.authServiceUrl().toString())
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
        return new SessionValidator(client, breakers.create("auth-session"),
                settings.sessionCacheTtl(), settings.sessionCacheSize());
    }

    @Bean
    SessionGatewayFilterFactory sessionGatewayFilterFactory(SessionValidator validator) {
        return new SessionGatewayFilterFactory(validator);
    }

    @Bean
    EvictSessionGatewayFilterFactory evictSessionGatewayFilterFactory(SessionValidator validator) {
        return new EvictSessionGatewayFilterFactory(validator);
    }

    @Bean
    LoginRateLimitGatewayFilterFactory loginRateLimitGatewayFilterFactory(GatewaySettings settings) {
        return new LoginRateLimitGatewayFilterFactory(settings.loginRateLimit());
    }

    @Bean
    ApiKeyGatewayFilterFactory apiKeyGatewayFilterFactory(ApiKeyVerifier verifier) {
        return new ApiKeyGatewayFilterFactory(verifier);
    }

    @Bean
    @Profile("!coupled")
    ApiKeyVerifier localApiKeyVerifier(GatewaySettings settings) {
        return new LocalApiKeyVerifier(settings.apiKeys());
    }

    @Bean
    @Profile("coupled")
    ApiKeyVerifier remoteApiKeyVerifier(GatewaySettings settings) {
        return new RemoteApiKeyVerifier(WebClient.builder()
                .baseUrl(settings.authServiceUrl().toString())
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create()))
                .build());
    }

    @Bean
    GatewayErrorHandler gatewayErrorHandler() {
        return new GatewayErrorHandler();
    }

    @Bean
    BodySizeLimitWebFilter bodySizeLimitWebFilter(GatewaySettings settings) {
        return new BodySizeLimitWebFilter(settings.maxBodySize().toBytes());
    }
}
