package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.toxics.ToxicKind;
import io.netty.channel.EventLoopGroup;
import tools.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every proxy, by name (sorted, as Toxiproxy lists them), and every operation of the API on them, on checked
 * values (read from JSON by {@link ApiJson}). Called from one thread only: the API's.
 */
public final class Registry {

    private final TreeMap<String, Proxy> proxies = new TreeMap<>();
    private final EventLoopGroup group;
    private final long seed;

    public Registry(EventLoopGroup group, long seed) {
        this.group = group;
        this.seed = seed;
    }

    /** A proxy to create, with the toxics it starts with. */
    public record ProxySpec(String name, String listen, String upstream, boolean enabled, List<ToxicConfig> toxics) {
    }

    /** A change to a proxy; null leaves that part as it is. */
    public record ProxyChange(String listen, String upstream, Boolean enabled) {
    }

    /** A partial update of a toxic: the attributes given (by wire name) and the toxicity, or null to keep it. */
    public record ToxicChange(Map<String, Object> attributes, Double toxicity) {
    }

    /** A proxy of a config file (as for {@code /populate}), read and checked; {@code where} ends each message. */
    public static ProxySpec proxySpec(JsonNode body, String where) {
        return ApiJson.proxySpec(body, where);
    }

    public Map<String, Proxy> proxies() {
        return proxies;
    }

    public Proxy proxy(String name) {
        Proxy proxy = proxies.get(name);
        if (proxy == null) {
            throw ApiError.PROXY_NOT_FOUND.exception();
        }
        return proxy;
    }

    public Proxy create(ProxySpec spec) {
        if (proxies.containsKey(spec.name())) {
            throw ApiError.PROXY_EXISTS.exception();
        }
        Proxy proxy = new Proxy(spec.name(), spec.listen(), spec.upstream(), spec.enabled(), group, seed);
        // toxics first: one refused (a repeated name) must not leave a listener bound
        spec.toxics().forEach(proxy::addToxic);
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
            for (ToxicConfig toxic : spec.toxics()) {
                if (!names.add(toxic.name())) {
                    throw ApiError.TOXIC_EXISTS.exception();
                }
            }
        }
        for (ProxySpec spec : specs) {
            Proxy existing = proxies.get(spec.name());
            if (existing != null && Addresses.sameEndpoint(spec.listen(), existing.listen())
                    && spec.upstream().equals(existing.upstream())) {
                if (!spec.toxics().isEmpty()) {
                    existing.removeAllToxics();
                    spec.toxics().forEach(existing::addToxic);
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

    public Proxy update(String name, ProxyChange change) {
        Proxy proxy = proxy(name);
        proxy.setAddresses(change.listen(), change.upstream());
        if (change.enabled() != null) {
            proxy.setEnabled(change.enabled());
        }
        return proxy;
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

    /** A partial update: the given attributes and toxicity merge into the toxic's current ones. */
    public ToxicConfig updateToxic(String proxyName, String toxicName, Function<ToxicKind<?>, ToxicChange> change) {
        Proxy proxy = proxy(proxyName);
        ToxicConfig current = proxy.toxic(toxicName);
        ToxicChange wanted = change.apply(current.kind());
        ToxicConfig updated = current.withUpdate(wanted.attributes(), wanted.toxicity());
        proxy.replaceToxic(updated);
        return updated;
    }
}
