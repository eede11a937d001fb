package io.blastradius.engine;

import io.blastradius.replica.ReplicaInfo;
import io.blastradius.replica.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The gateway's circuit breakers, read from its actuator ({@code /actuator/circuitbreakers}, with the management token). */
public final class CircuitBreakers {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CircuitBreakers() {
    }

    /** Name to state (CLOSED, OPEN, HALF_OPEN, ...); empty when the gateway does not say. */
    public static Map<String, String> states(ReplicaInfo replica) {
        ReplicaInfo.Endpoint gateway = replica.service(Service.GATEWAY);
        Map<String, String> states = new LinkedHashMap<>();
        if (gateway == null || gateway.managementUrl() == null) {
            return states;
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.managementUrl().resolve("/actuator/circuitbreakers"))
                    .header("Authorization", "Bearer " + replica.managementToken()).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                JsonNode breakers = JSON.readTree(response.body()).path("circuitBreakers");
                breakers.properties().forEach(e -> states.put(e.getKey(), e.getValue().path("state").asString()));
            }
        } catch (IOException | RuntimeException e) {
            return states;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return states;
    }
}
