package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.toxics.Stage;
import io.blastradius.faultproxy.toxics.StageContext;
import io.blastradius.faultproxy.toxics.ToxicAttributes;
import io.blastradius.faultproxy.toxics.ToxicKind;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A toxic as configured on a proxy: immutable; an update makes a new one with a higher version, which
 * tells live links to re-roll their toxicity for it.
 */
public record ToxicConfig(String name, ToxicKind<?> kind, Direction direction, String streamAsSent, double toxicity,
                          Record attributes, long version) {

    /** Which way data flows through a link. */
    public enum Direction {
        UPSTREAM("upstream"), DOWNSTREAM("downstream");

        private final String wireName;

        Direction(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Direction parse(String stream) {
            for (Direction d : values()) {
                if (d.wireName.equalsIgnoreCase(stream)) {
                    return d;
                }
            }
            return null;
        }
    }

    public ToxicConfig {
        if (!kind.attributes().isInstance(attributes)) {
            throw new IllegalArgumentException("a " + kind.type() + " toxic's attributes must be " + kind.attributes().getSimpleName());
        }
    }

    /** A new toxic of {@code kind} from attribute values by wire name (missing ones the kind's default, else 0 or ""), checked by the kind. */
    static ToxicConfig of(String name, ToxicKind<?> kind, Direction direction, String stream, double toxicity, Map<String, Object> values) {
        Map<String, Object> given = new LinkedHashMap<>(kind.defaults());
        given.putAll(values);
        Record attributes = ToxicAttributes.of(kind.attributes(), given);
        validate(kind, attributes);
        return new ToxicConfig(name, kind, direction, stream, toxicity, attributes, 0);
    }

    /** The same toxic with some attributes and the toxicity changed, checked by the kind; its version one higher. */
    ToxicConfig withUpdate(Map<String, Object> changes, Double newToxicity) {
        Map<String, Object> merged = new LinkedHashMap<>(ToxicAttributes.values(attributes));
        merged.putAll(changes);
        Record updated = ToxicAttributes.of(kind.attributes(), merged);
        validate(kind, updated);
        return new ToxicConfig(name, kind, direction, streamAsSent, newToxicity == null ? toxicity : newToxicity, updated, version + 1);
    }

    /** The stage this toxic puts on one link. */
    @SuppressWarnings("unchecked")
    Stage newStage(StageContext context) {
        return ((ToxicKind<Record>) kind).newStage(attributes, context);
    }

    @SuppressWarnings("unchecked")
    private static void validate(ToxicKind<?> kind, Record attributes) {
        try {
            ((ToxicKind<Record>) kind).validate(attributes);
        } catch (IllegalArgumentException e) {
            throw ApiError.INVALID_ATTRIBUTE.exception(kind.type(), e.getMessage());
        }
    }
}
