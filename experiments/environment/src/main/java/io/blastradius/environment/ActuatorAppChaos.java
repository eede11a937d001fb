package io.blastradius.environment;

import io.blastradius.experiment.Service;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** {@link AppChaos} through Chaos Monkey for Spring Boot's actuator endpoints on each service's management port. */
public final class ActuatorAppChaos implements AppChaos {

    private final Map<Service, URI> managementUrls;
    private final String token;

    /** Each service's management base URL ({@code http://127.0.0.1:4711}) and the bearer token they share. */
    public ActuatorAppChaos(Map<Service, URI> managementUrls, String token) {
        this.managementUrls = Map.copyOf(managementUrls);
        this.token = token;
    }

    @Override
    public void enable(Service service, String assaultsJson) {
        ActuatorHttp.call(url(service), token, "/actuator/chaosmonkey/assaults", assaultsJson, "Chaos Monkey");
        ActuatorHttp.call(url(service), token, "/actuator/chaosmonkey/enable", "", "Chaos Monkey");
    }

    @Override
    public void disable(Service service) {
        ActuatorHttp.call(url(service), token, "/actuator/chaosmonkey/disable", "", "Chaos Monkey");
        ActuatorHttp.call(url(service), token, "/actuator/chaosmonkey/assaults", "{\"latencyActive\":false,\"exceptionsActive\":false,"
                + "\"memoryActive\":false,\"cpuActive\":false,\"killApplicationActive\":false}", "Chaos Monkey");
    }

    @Override
    public void attack(Service service) {
        ActuatorHttp.start(url(service), token, "/actuator/chaosmonkey/assaults/runtime/attack", "Chaos Monkey", Duration.ofSeconds(1));
    }

    @Override
    public boolean enabled(Service service) {
        return ActuatorHttp.call(url(service), token, "/actuator/chaosmonkey/status", null, "Chaos Monkey")
                .replace(" ", "").contains("\"enabled\":true");
    }

    private URI url(Service service) {
        URI url = managementUrls.get(service);
        if (url == null || !service.hasChaosMonkey()) {
            throw new EnvironmentException(service.wireName() + " has no Chaos Monkey endpoint here");
        }
        return url;
    }
}
