package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.toxics.ToxicKind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A toxic as configured on a proxy: immutable; an update makes a new one with a higher version, which
 * tells live links to re-roll their toxicity for it.
 */
public record ToxicConfig(String name, ToxicKind kind, Direction direction, String streamAsSent, double toxicity,
                          Map<String, Long> attributes, long version) {

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
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public ToxicConfig withUpdate(Map<String, Long> newAttributes, Double newToxicity) {
        Map<String, Long> merged = new LinkedHashMap<>(attributes);
        merged.putAll(newAttributes);
        return new ToxicConfig(name, kind, direction, streamAsSent, newToxicity == null ? toxicity : newToxicity,
                merged, version + 1);
    }

    /** The response shape: {@code {"attributes":{...},"name","type","stream","toxicity"}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("attributes", attributes);
        json.put("name", name);
        json.put("type", kind.type());
        json.put("stream", streamAsSent);
        json.put("toxicity", toxicity);
        return json;
    }
}
