package io.blastradius.engine.faults;

import io.blastradius.engine.EngineException;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.Quantities;
import io.blastradius.replica.ReplicaInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * In-app faults through Chaos Monkey for Spring Boot's actuator endpoints (with the management token):
 * {@code app-latency} {min, max, level} and {@code app-exception} {level}, with level deterministic
 * (exactly every level-th call, so runs repeat; the delay within min–max comes from Chaos Monkey's own
 * random source). Undo disables the monkey and switches both assaults off.
 */
public final class ChaosMonkeyFault implements Fault {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String type;

    ChaosMonkeyFault(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Applied apply(FaultSpec spec, Context context) {
        ReplicaInfo replica = context.environment().replica();
        ReplicaInfo.Endpoint service = replica.services().get(spec.target());
        if (service == null || service.managementUrl() == null) {
            throw new EngineException("no management endpoint for " + spec.target() + " in the replica description");
        }
        Map<String, Object> p = spec.parameters();
        long level = p.get("level") == null ? 1 : ((Number) p.get("level")).longValue();
        String assaults = type.equals("app-latency")
                ? "{\"level\":" + level + ",\"deterministic\":true,\"latencyActive\":true,\"exceptionsActive\":false,\"latencyRangeStart\":"
                        + Quantities.duration(p.get("min").toString()).toMillis() + ",\"latencyRangeEnd\":"
                        + Quantities.duration(p.get("max").toString()).toMillis() + "}"
                : "{\"level\":" + level + ",\"deterministic\":true,\"latencyActive\":false,\"exceptionsActive\":true}";
        context.journal().accept(new UndoRecord(context.id(), "chaos-monkey",
                Map.of("managementUrl", service.managementUrl().toString(), "service", spec.target())));
        call(service.managementUrl(), replica.managementToken(), "/actuator/chaosmonkey/assaults", assaults);
        call(service.managementUrl(), replica.managementToken(), "/actuator/chaosmonkey/enable", "");
        return () -> disable(service.managementUrl(), replica.managementToken());
    }

    /** Switches the monkey off and its assaults too. */
    public static void disable(URI managementUrl, String token) {
        call(managementUrl, token, "/actuator/chaosmonkey/disable", "");
        call(managementUrl, token, "/actuator/chaosmonkey/assaults", "{\"latencyActive\":false,\"exceptionsActive\":false}");
    }

    private static void call(URI managementUrl, String token, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(managementUrl.resolve(path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new EngineException("Chaos Monkey at " + managementUrl + path + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new EngineException("Chaos Monkey at " + managementUrl + path + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while calling Chaos Monkey", e);
        }
    }
}
