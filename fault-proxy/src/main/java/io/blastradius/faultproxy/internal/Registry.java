package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.FaultProxyException;
import io.blastradius.faultproxy.internal.ToxicConfig.Direction;
import io.blastradius.faultproxy.toxics.ToxicKind;
import io.blastradius.faultproxy.toxics.ToxicKinds;
import io.netty.channel.EventLoopGroup;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every proxy, by name (sorted, as Toxiproxy lists them), and every operation of the API on them.
 * Called from one thread only: the API's.
 */
public final class Registry {

    private static final String DEFAULT_LISTEN = "127.0.0.1:0";

    private final TreeMap<String, Proxy> proxies = new TreeMap<>();
    private final EventLoopGroup group;
    private final long seed;

    public Registry(EventLoopGroup group, long seed) {
        this.group = group;
        this.seed = seed;
    }

    public Map<String, Proxy> proxies() {
        return proxies;
    }

    public Proxy proxy(String name) {
        Proxy proxy = proxies.get(name);
        if (proxy == null) {
            throw FaultProxyException.proxyNotFound();
        }
        return proxy;
    }

    /** A proxy request, checked: name and upstream required, enabled defaults to true. */
    public record ProxySpec(String name, String listen, String upstream, boolean enabled, List<JsonNode> toxics) {
    }

    public static ProxySpec proxySpec(JsonNode body, String where) {
        if (body == null || !body.isObject()) {
            throw FaultProxyException.badRequest("bad request body: expected a JSON object" + where);
        }
        String name = text(body, "name");
        String upstream = text(body, "upstream");
        if (name == null || name.isEmpty()) {
            throw FaultProxyException.badRequest("missing required field: name" + where);
        }
        if (upstream == null || upstream.isEmpty()) {
            throw FaultProxyException.badRequest("missing required field: upstream" + where);
        }
        String listen = text(body, "listen");
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw FaultProxyException.badRequest("bad request body: enabled must be true or false" + where);
        }
        List<JsonNode> toxics = new ArrayList<>();
        JsonNode toxicList = body.get("toxics");
        if (toxicList != null && !toxicList.isNull()) {
            if (!toxicList.isArray()) {
                throw FaultProxyException.badRequest("bad request body: toxics must be a list" + where);
            }
            toxicList.forEach(toxics::add);
        }
        return new ProxySpec(name, listen == null || listen.isEmpty() ? DEFAULT_LISTEN : listen, upstream,
                enabled == null || enabled.isNull() || enabled.asBoolean(), toxics);
    }

    public Proxy create(ProxySpec spec) {
        if (proxies.containsKey(spec.name())) {
            throw new FaultProxyException(409, "proxy already exists");
        }
        Proxy proxy = new Proxy(spec.name(), spec.listen(), spec.upstream(), spec.enabled(), group, seed);
        // toxics first: one refused (a repeated name) must not leave a listener bound
        for (JsonNode toxic : spec.toxics()) {
            proxy.addToxic(toxicFrom(toxic));
        }
        proxy.start();
        proxies.put(spec.name(), proxy);
        return proxy;
    }

    /**
     * {@code /populate}: every entry checked first; then each created, kept (same addresses: toxics,
     * state and connections stay) or replaced (new addresses: a fresh proxy). Toxics given with an
     * entry replace the proxy's toxics.
     */
    public List<Proxy> populate(List<ProxySpec> specs, List<Proxy> done) {
        for (ProxySpec spec : specs) {
            Set<String> names = new HashSet<>();
            for (JsonNode toxic : spec.toxics()) {
                if (!names.add(toxicFrom(toxic).name())) {
                    throw new FaultProxyException(409, "toxic already exists");
                }
            }
        }
        for (ProxySpec spec : specs) {
            Proxy existing = proxies.get(spec.name());
            if (existing != null && Addresses.sameEndpoint(spec.listen(), existing.listen())
                    && spec.upstream().equals(existing.upstream())) {
                if (!spec.toxics().isEmpty()) {
                    existing.removeAllToxics();
                    spec.toxics().forEach(t -> existing.addToxic(toxicFrom(t)));
                }
                done.add(existing);
                continue;
            }
            if (existing != null) {
                existing.stop();
                proxies.remove(spec.name());
            }
            done.add(create(spec));
        }
        return done;
    }

    public void update(String name, JsonNode body) {
        Proxy proxy = proxy(name);
        if (body == null || !body.isObject()) {
            throw FaultProxyException.badRequest("bad request body: expected a JSON object");
        }
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw FaultProxyException.badRequest("bad request body: enabled must be true or false");
        }
        proxy.setAddresses(emptyToNull(text(body, "listen")), emptyToNull(text(body, "upstream")));
        if (enabled != null && enabled.isBoolean()) {
            proxy.setEnabled(enabled.asBoolean());
        }
    }

    public void delete(String name) {
        proxy(name).stop();
        proxies.remove(name);
    }

    /** {@code /reset}: every proxy enabled again and every toxic removed; proxies and connections stay. */
    public void reset() {
        for (Proxy proxy : proxies.values()) {
            proxy.setEnabled(true);
            proxy.removeAllToxics();
        }
    }

    public void close() {
        proxies.values().forEach(Proxy::stop);
        proxies.clear();
    }

    public static ToxicConfig toxicFrom(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw FaultProxyException.badRequest("bad request body: expected a JSON object");
        }
        ToxicKind kind = ToxicKinds.byType(text(body, "type"))
                .orElseThrow(() -> FaultProxyException.badRequest("invalid toxic type"));
        String stream = body.has("stream") && !body.get("stream").isNull() ? text(body, "stream") : "downstream";
        Direction direction = stream == null ? null : Direction.parse(stream);
        if (direction == null) {
            throw FaultProxyException.badRequest("stream was invalid, can be either upstream or downstream");
        }
        String name = text(body, "name");
        if (name == null || name.isEmpty()) {
            name = kind.type() + "_" + stream;
        }
        double toxicity = toxicity(body.get("toxicity"), 1.0);
        Map<String, Long> attributes = new LinkedHashMap<>();
        kind.attributes().forEach(a -> attributes.put(a, 0L));
        attributes.putAll(attributes(kind, body.get("attributes")));
        validate(kind, attributes);
        return new ToxicConfig(name, kind, direction, stream, toxicity, attributes, 0);
    }

    /** A partial update: the given attributes and toxicity merge into the toxic's current ones. */
    public ToxicConfig updateToxic(String proxyName, String toxicName, JsonNode body) {
        Proxy proxy = proxy(proxyName);
        ToxicConfig current = proxy.toxic(toxicName);
        if (body == null || !body.isObject()) {
            throw FaultProxyException.badRequest("bad request body: expected a JSON object");
        }
        Map<String, Long> changes = attributes(current.kind(), body.get("attributes"));
        JsonNode toxicityNode = body.get("toxicity");
        Double toxicity = toxicityNode == null || toxicityNode.isNull() ? null : toxicity(toxicityNode, current.toxicity());
        ToxicConfig updated = current.withUpdate(changes, toxicity);
        validate(current.kind(), updated.attributes());
        proxy.replaceToxic(updated);
        return updated;
    }

    private static void validate(ToxicKind kind, Map<String, Long> attributes) {
        try {
            kind.validate(attributes);
        } catch (IllegalArgumentException e) {
            throw FaultProxyException.badRequest("invalid " + kind.type() + " attribute: " + e.getMessage());
        }
    }

    private static double toxicity(JsonNode node, double fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw FaultProxyException.badRequest("bad request body: toxicity must be a number from 0 to 1");
        }
        double value = node.asDouble();
        if (value < 0 || value > 1 || Double.isNaN(value)) {
            throw FaultProxyException.badRequest("invalid toxicity: must be from 0 to 1, but was " + node.asString());
        }
        return value;
    }

    private static Map<String, Long> attributes(ToxicKind kind, JsonNode node) {
        Map<String, Long> values = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw FaultProxyException.badRequest("bad request body: attributes must be a JSON object");
        }
        for (String attribute : kind.attributes()) {
            JsonNode value = node.get(attribute);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw FaultProxyException.badRequest("bad request body: attributes." + attribute + " of a "
                        + kind.type() + " toxic must be an integer, but was " + value);
            }
            values.put(attribute, value.asLong());
        }
        return values;
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw FaultProxyException.badRequest("bad request body: " + field + " must be a string");
        }
        return node.stringValue();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
