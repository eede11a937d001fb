package io.blastradius.engine.faults;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.blastradius.engine.EngineException;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.Quantities;
import io.blastradius.replica.Hop;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    public Applied apply(FaultSpec spec, Context context) {
        String proxyName = Hop.fromWireName(spec.target()).proxyName();
        ToxiproxyClient client = context.environment().toxiproxy();
        String api = context.environment().replica().faultProxyUrl().toString();
        List<String> names = new ArrayList<>();
        try {
            Proxy proxy = client.getProxy(proxyName);
            List<ToxicDirection> directions = switch (spec.stream()) {
                case "upstream" -> List.of(ToxicDirection.UPSTREAM);
                case "both" -> List.of(ToxicDirection.UPSTREAM, ToxicDirection.DOWNSTREAM);
                default -> List.of(ToxicDirection.DOWNSTREAM);
            };
            for (ToxicDirection direction : directions) {
                String name = context.id() + "-" + direction.name().toLowerCase();
                context.journal().accept(new UndoRecord(context.id(), "toxic", Map.of("faultProxy", api, "proxy", proxyName, "toxic", name)));
                Toxic toxic = add(proxy, name, direction, spec.parameters());
                if (spec.toxicity() < 1.0) {
                    toxic.setToxicity((float) spec.toxicity());
                }
                names.add(name);
            }
            return new Applied() {
                @Override
                public void undo() {
                    for (String name : names) {
                        try {
                            proxy.toxics().get(name).remove();
                        } catch (IOException e) {
                            if (!String.valueOf(e.getMessage()).contains("404")) {
                                throw new EngineException("could not remove toxic " + name + " from " + proxyName + ": " + e.getMessage(), e);
                            }
                        }
                    }
                }

                @Override
                public Long connectionsAffected() {
                    return affected(api, proxyName, names);
                }
            };
        } catch (IOException e) {
            throw new EngineException("could not apply " + type() + " on " + spec.target() + " (proxy " + proxyName + "): " + e.getMessage(), e);
        }
    }

    /** The fault proxy's count of connections these toxics applied to; null when the proxy has no such counter (a real Toxiproxy). */
    static Long affected(String api, String proxy, List<String> toxics) {
        try (InputStream in = URI.create(api + "/metrics").toURL().openStream()) {
            long total = 0;
            boolean found = false;
            for (String line : new String(in.readAllBytes()).split("\n")) {
                for (String toxic : toxics) {
                    if (line.startsWith("blastradius_toxic_connections_total{proxy=\"" + proxy + "\",toxic=\"" + toxic + "\"}")) {
                        total += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1).trim());
                        found = true;
                    }
                }
            }
            return found ? total : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
