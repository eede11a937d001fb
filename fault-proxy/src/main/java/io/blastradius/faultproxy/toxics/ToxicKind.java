package io.blastradius.faultproxy.toxics;

import java.util.Map;

/**
 * One toxic type: its wire name, the record of its attributes, how they are checked, and the stage it puts
 * on each link. Looked up by wire name in {@link ToxicKinds}.
 *
 * @param <A> the attributes: a record of {@code long} components, each an attribute on the wire (a component
 *            {@code averageSize} is {@code average_size} there), in the order responses list them; each
 *            defaults to 0, as Toxiproxy's do
 */
public interface ToxicKind<A extends Record> {

    /** The {@code type} on the wire, e.g. {@code latency}. */
    String type();

    /** The record class of the attributes. */
    Class<A> attributes();

    /**
     * Checks attribute values; values that would crash or hang the reference server are refused.
     *
     * @throws IllegalArgumentException naming the attribute, the rule and the value
     */
    default void validate(A attributes) {
    }

    Stage newStage(A attributes, StageContext context);

    /**
     * Whether the type is beyond Toxiproxy's own: the API lists toxics of it only when asked, because Toxiproxy's
     * clients fail on a type they do not know (toxiproxy-java's {@code getAll()} throws).
     */
    default boolean beyondToxiproxy() {
        return false;
    }

    /** Attributes whose value when not given is not 0 (or ""), by wire name: none for Toxiproxy's types. */
    default Map<String, Object> defaults() {
        return Map.of();
    }

    /** The one stream (upstream or downstream) the type acts on, or null for either. */
    default String onlyStream() {
        return null;
    }

    /** "{@code <name> must be <rule>, but was <value>}" unless {@code ok}. */
    static void require(boolean ok, String name, String rule, long value) {
        if (!ok) {
            throw new IllegalArgumentException(name + " must be " + rule + ", but was " + value);
        }
    }
}
