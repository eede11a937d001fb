package io.blastradius.environment;

import java.util.Map;

/** How to reach an environment again from another process: its provider's name and what that provider needs. */
public record EnvironmentRef(String provider, Map<String, String> parameters) {

    public EnvironmentRef {
        parameters = Map.copyOf(parameters);
    }
}
