package io.blastradius.environment;

import io.blastradius.experiment.Service;

/** Chaos Monkey for Spring Boot in the services that load it ({@link Service#hasChaosMonkey()}). */
public interface AppChaos {

    /** Sets the service's assaults (Chaos Monkey's JSON, e.g. {@code {"level":1,"latencyActive":true,...}}) and enables its monkey. */
    void enable(Service service, String assaultsJson);

    /** Switches the monkey off and its assaults too; doing so twice is harmless. */
    void disable(Service service);

    /** Whether the service's monkey is on. */
    boolean enabled(Service service);
}
