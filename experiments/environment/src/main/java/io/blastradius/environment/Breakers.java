package io.blastradius.environment;

import java.util.Map;

/** The gateway's circuit breakers. */
public interface Breakers {

    /**
     * Each breaker's name and state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ...); empty when
     * the gateway has none. Throws {@link EnvironmentException} when they cannot be read (a wrong token,
     * a dead or paused gateway): that is not the same as "every breaker closed".
     */
    Map<String, String> states();
}
