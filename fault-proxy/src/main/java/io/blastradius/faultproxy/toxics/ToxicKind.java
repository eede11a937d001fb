package io.blastradius.faultproxy.toxics;

import java.util.List;
import java.util.Map;

/**
 * One toxic type: its wire name, its attributes (all integers, as Toxiproxy's), how they are checked,
 * and the stage it puts on each link. Looked up by wire name in {@link ToxicKinds}.
 */
public interface ToxicKind {

    /** The {@code type} on the wire, e.g. {@code latency}. */
    String type();

    /** Every attribute name, in the order responses list them; each defaults to 0. */
    List<String> attributes();

    /**
     * Checks attribute values; values that would crash or hang the reference server are refused.
     *
     * @throws IllegalArgumentException naming the attribute, the rule and the value
     */
    default void validate(Map<String, Long> values) {
    }

    Stage newStage(Map<String, Long> values, StageContext context);

    /** "{@code <name> must be <rule>, but was <value>}" unless {@code ok}. */
    static void require(boolean ok, String name, String rule, long value) {
        if (!ok) {
            throw new IllegalArgumentException(name + " must be " + rule + ", but was " + value);
        }
    }
}
