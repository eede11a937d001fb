package io.blastradius.engine.faults;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.blastradius.engine.EngineException;
import io.blastradius.environment.Capability;
import io.blastradius.environment.Change;
import io.blastradius.environment.FaultProxy;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.Quantities;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A network fault: one toxic per direction on the hop's proxy, through the official Toxiproxy client,
 * so the same experiment drives the embedded fault proxy or a real Toxiproxy.
 */
abstract class ToxicFault implements Fault {

    /** Adds this fault's toxic to the proxy. */
    abstract Toxic add(Proxy proxy, String name, ToxicDirection direction, Map<String, Object> parameters) throws IOException;

    static long millis(Map<String, Object> parameters, String key, long fallback) {
        Object value = parameters.get(key);
        return value == null ? fallback : Quantities.duration(value.toString()).toMillis();
    }

    static long number(Map<String, Object> parameters, String key, long fallback) {
        Object value = parameters.get(key);
        return value == null ? fallback : ((Number) value).longValue();
    }

    @Override
    public Set<Capability> needs() {
        return Set.of(Capability.FAULT_PROXY);
    }

    @Override
    public Applied apply(FaultSpec spec, Context context) {
        FaultProxy faultProxy = context.faultProxy(type() + " on " + spec.target());
        String proxyName = faultProxy.proxyName(spec.hop());
        String api = faultProxy.apiUrl().toString();
        List<String> names = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        try {
            Proxy proxy = faultProxy.client().getProxy(proxyName);
            List<ToxicDirection> directions = switch (spec.stream()) {
                case "upstream" -> List.of(ToxicDirection.UPSTREAM);
                case "both" -> List.of(ToxicDirection.UPSTREAM, ToxicDirection.DOWNSTREAM);
                default -> List.of(ToxicDirection.DOWNSTREAM);
            };
            for (ToxicDirection direction : directions) {
                String name = context.id() + "-" + direction.name().toLowerCase(Locale.ROOT);
                Change change = new Change.ToxicAdded(proxyName, name);
                context.journal().accept(change);
                Toxic toxic = add(proxy, name, direction, spec.parameters());
                changes.add(change);
                names.add(name);
                if (spec.toxicity() < 1.0) {
                    toxic.setToxicity((float) spec.toxicity());
                }
            }
            return new Applied(changes, () -> affected(api, proxyName, names));
        } catch (IOException e) {
            // what was added stays in the changes journaled so far: the runner's rollback removes it
            throw new EngineException("could not apply " + type() + " on " + spec.target() + " (proxy " + proxyName + "): " + e.getMessage(), e);
        }
    }

    /** The fault proxy's count of connections these toxics applied to; null when the proxy has no such counter (a real Toxiproxy). */
    static Long affected(String api, String proxy, List<String> toxics) {
        return counted(api, proxy, toxics, List.of("blastradius_toxic_connections_total"));
    }

    /** For the http toxic: the requests it answered plus the pieces of requests it held back (0 when none matched). */
    static Long requestsHit(String api, String proxy, String toxic) {
        return counted(api, proxy, List.of(toxic), List.of("blastradius_toxic_chunks_dropped_total", "blastradius_toxic_chunks_delayed_total"));
    }

    /** The sum of these counters of these toxics in the fault proxy's metrics; null when it has none of them. */
    private static Long counted(String api, String proxy, List<String> toxics, List<String> metrics) {
        try (InputStream in = URI.create(api + "/metrics").toURL().openStream()) {
            long total = 0;
            boolean found = false;
            for (String line : new String(in.readAllBytes()).split("\n")) {
                for (String metric : metrics) {
                    for (String toxic : toxics) {
                        if (line.startsWith(metric + "{proxy=\"" + proxy + "\",toxic=\"" + toxic + "\"}")) {
                            total += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1).trim());
                            found = true;
                        }
                    }
                }
            }
            return found ? total : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
