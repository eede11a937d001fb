package io.blastradius.faultproxy.toxics;

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

    /** "{@code <name> must be <rule>, but was <value>}" unless {@code ok}. */
    static void require(boolean ok, String name, String rule, long value) {
        if (!ok) {
            throw new IllegalArgumentException(name + " must be " + rule + ", but was " + value);
        }
    }
}
