package io.blastradius.environment;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link Breakers} from the gateway's {@code /actuator/circuitbreakers}, with the management token. */
public final class ActuatorBreakers implements Breakers {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final URI gatewayManagementUrl;
    private final String token;

    public ActuatorBreakers(URI gatewayManagementUrl, String token) {
        this.gatewayManagementUrl = gatewayManagementUrl;
        this.token = token;
    }

    @Override
    public Map<String, String> states() {
        String body = ActuatorHttp.call(gatewayManagementUrl, token, "/actuator/circuitbreakers", null, "the gateway's circuit breakers");
        JsonNode breakers;
        try {
            breakers = JSON.readTree(body).path("circuitBreakers");
        } catch (RuntimeException e) {
            throw new EnvironmentException("the gateway's circuit breakers at " + gatewayManagementUrl + " answered no JSON: " + e.getMessage(), e);
        }
        if (!breakers.isObject()) {
            throw new EnvironmentException("the gateway's circuit breakers at " + gatewayManagementUrl + " answered without 'circuitBreakers'");
        }
        Map<String, String> states = new LinkedHashMap<>();
        breakers.properties().forEach(e -> states.put(e.getKey(), e.getValue().path("state").asString()));
        return states;
    }
}
