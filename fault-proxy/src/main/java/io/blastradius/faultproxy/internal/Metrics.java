package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.internal.ToxicConfig.Direction;

import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * {@code /metrics} in Prometheus text format, live (not counted at close, unlike the reference): per
 * proxy, connections and bytes; per toxic, the connections it applied to and the chunks it delayed or
 * dropped, so that an experiment can prove a fault reached traffic. Byte counters keep Toxiproxy's names.
 */
final class Metrics {

    private Metrics() {
    }

    static String render(Map<String, Proxy> proxies) {
        StringBuilder out = new StringBuilder();
        header(out, "toxiproxy_proxy_received_bytes_total", "counter", "Bytes read from the source side of each direction.");
        proxies.values().forEach(p -> {
            for (Direction d : Direction.values()) {
                line(out, "toxiproxy_proxy_received_bytes_total", proxyLabels(p) + ",direction=\"" + d.wireName() + "\"",
                        p.receivedBytes(d));
            }
        });
        header(out, "toxiproxy_proxy_sent_bytes_total", "counter", "Bytes written to the destination side of each direction.");
        proxies.values().forEach(p -> {
            for (Direction d : Direction.values()) {
                line(out, "toxiproxy_proxy_sent_bytes_total", proxyLabels(p) + ",direction=\"" + d.wireName() + "\"", p.sentBytes(d));
            }
        });
        header(out, "blastradius_proxy_connections_total", "counter", "Client connections relayed upstream.");
        proxies.values().forEach(p -> line(out, "blastradius_proxy_connections_total", proxyLabels(p), p.connectionsTotal()));
        header(out, "blastradius_proxy_connections_active", "gauge", "Client connections open now.");
        proxies.values().forEach(p -> line(out, "blastradius_proxy_connections_active", proxyLabels(p), p.activeConnections()));
        header(out, "blastradius_proxy_enabled", "gauge", "1 if the proxy accepts connections.");
        proxies.values().forEach(p -> line(out, "blastradius_proxy_enabled", proxyLabels(p), p.enabled() ? 1 : 0));
        header(out, "blastradius_toxic_connections_total", "counter", "Connections a toxic applied to (after its toxicity roll).");
        toxics(out, "blastradius_toxic_connections_total", proxies, ToxicCounters::connections);
        header(out, "blastradius_toxic_chunks_delayed_total", "counter", "Chunks a toxic held back before sending them on.");
        toxics(out, "blastradius_toxic_chunks_delayed_total", proxies, ToxicCounters::delayed);
        header(out, "blastradius_toxic_chunks_dropped_total", "counter", "Chunks a toxic dropped or withheld.");
        toxics(out, "blastradius_toxic_chunks_dropped_total", proxies, ToxicCounters::dropped);
        return out.toString();
    }

    private static void toxics(StringBuilder out, String metric, Map<String, Proxy> proxies,
                               ToLongFunction<ToxicCounters> value) {
        proxies.values().forEach(p -> p.toxicCounters().forEach((toxic, counters) ->
                line(out, metric, "proxy=\"" + escape(p.name()) + "\",toxic=\"" + escape(toxic) + "\"", value.applyAsLong(counters))));
    }

    private static String proxyLabels(Proxy p) {
        return "proxy=\"" + escape(p.name()) + "\",listener=\"" + escape(p.listen()) + "\",upstream=\"" + escape(p.upstream()) + "\"";
    }

    private static void header(StringBuilder out, String metric, String type, String help) {
        out.append("# HELP ").append(metric).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(metric).append(' ').append(type).append('\n');
    }

    private static void line(StringBuilder out, String metric, String labels, long value) {
        out.append(metric).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
