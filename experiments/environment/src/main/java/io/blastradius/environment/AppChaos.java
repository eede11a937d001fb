package io.blastradius.environment;

import io.blastradius.experiment.Service;

/** Chaos Monkey for Spring Boot in the services that load it ({@link Service#hasChaosMonkey()}). */
public interface AppChaos {

    /** Sets the service's assaults (Chaos Monkey's JSON, e.g. {@code {"level":1,"latencyActive":true,...}}) and enables its monkey. */
    void enable(Service service, String assaultsJson);

    /**
     * Starts the runtime assaults (memory, CPU, killing the application) that the service's assaults make active,
     * and returns once they are under way: Chaos Monkey runs a CPU or memory assault in the request that starts it,
     * for as long as it holds, so the answer is not waited for beyond the first second.
     */
    void attack(Service service);

    /** Switches the monkey off and its assaults too (a CPU or memory assault under way ends within a second); doing so twice is harmless. */
    void disable(Service service);

    /** Whether the service's monkey is on. */
    boolean enabled(Service service);
}
