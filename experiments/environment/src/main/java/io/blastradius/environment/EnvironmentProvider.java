package io.blastradius.environment;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One kind of environment, found by {@link #name()} through {@link java.util.ServiceLoader}: an
 * environment module lists its provider in {@code META-INF/services/io.blastradius.environment.EnvironmentProvider},
 * and nothing outside that module changes. See {@link Environments}.
 */
public interface EnvironmentProvider {

    /** What {@code --env} calls it. */
    String name();

    /** One line for {@code --help} and for the error that lists what exists. */
    String description();

    /** What every environment it opens offers, known before anything starts, so that a run can be refused early. */
    Set<Capability> capabilities();

    /**
     * Checks a request before anything starts (a missing parameter, an unreadable file): an
     * {@link IllegalArgumentException} whose message says what is wrong and what to do.
     */
    default void validate(EnvironmentRequest request) {
    }

    /** Starts a replica, or attaches to one, as the request says; healthy on return. */
    Environment open(EnvironmentRequest request);

    /** Reaches an environment again from its {@link EnvironmentRef#parameters()}, to undo what a killed run left. */
    Environment reattach(Map<String, String> parameters);

    /**
     * Removes what runs that were killed left running (containers, say) once their journals are dealt with, and
     * says what it removed; nothing by default. Quick and quiet where there is nothing to look at.
     */
    default List<String> removeLeftovers() {
        return List.of();
    }
}
