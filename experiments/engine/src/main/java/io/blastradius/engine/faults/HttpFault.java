package io.blastradius.engine.faults;

import io.blastradius.engine.EngineException;
import io.blastradius.environment.Capability;
import io.blastradius.environment.Change;
import io.blastradius.environment.FaultProxy;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.Quantities;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code http: {status, delay, percent, method, path}} on a hop: the fault proxy's {@code http} toxic, beyond
 * Toxiproxy, added through the API's JSON (Toxiproxy's client cannot): for {@code percent} of the requests the
 * hop carries that match {@code method} and the {@code path} prefix, the fault proxy answers {@code status} in the
 * callee's place after {@code delay}, or with no status passes the request on {@code delay} late. Its reach is the
 * requests it answered or held. A real Toxiproxy refuses the type, and the fault is an error there.
 */
final class HttpFault implements Fault {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String type() {
        return "http";
    }

    @Override
    public Set<Capability> needs() {
        return Set.of(Capability.FAULT_PROXY);
    }

    @Override
    public Applied apply(FaultSpec spec, Context context) {
        FaultProxy faultProxy = context.faultProxy(type() + " on " + spec.target());
        String proxyName = faultProxy.proxyName(spec.hop());
        String name = context.id() + "-requests";
        Map<String, Object> p = spec.parameters();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("status", p.get("status") == null ? 0 : ((Number) p.get("status")).longValue());
        attributes.put("delay", p.get("delay") == null ? 0 : Quantities.duration(p.get("delay").toString()).toMillis());
        attributes.put("percent", p.get("percent") == null ? 100 : ((Number) p.get("percent")).longValue());
        attributes.put("method", p.getOrDefault("method", "").toString());
        attributes.put("path", p.getOrDefault("path", "").toString());
        Map<String, Object> toxic = new LinkedHashMap<>();
        toxic.put("name", name);
        toxic.put("type", "http");
        toxic.put("stream", "upstream");
        toxic.put("toxicity", spec.toxicity());
        toxic.put("attributes", attributes);
        Change change = new Change.ToxicAdded(proxyName, name);
        context.journal().accept(change);
        try {
            faultProxy.addToxic(proxyName, JSON.writeValueAsString(toxic));
        } catch (IOException e) {
            throw new EngineException("could not apply http on " + spec.target() + " (proxy " + proxyName + "): " + e.getMessage()
                    + " (the http toxic is the fault proxy's own: a Toxiproxy server has none)", e);
        }
        String api = faultProxy.apiUrl().toString();
        return new Applied(List.of(change), () -> ToxicFault.requestsHit(api, proxyName, name));
    }
}
