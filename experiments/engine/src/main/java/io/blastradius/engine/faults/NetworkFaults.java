package io.blastradius.engine.faults;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.Slicer;

import java.io.IOException;
import java.util.Map;

/** The network faults, each a Toxiproxy toxic with the experiment's units turned into the toxic's. */
final class NetworkFaults {

    private NetworkFaults() {
    }

    /** {@code latency: {delay, jitter}}. */
    static final class LatencyFault extends ToxicFault {
        @Override
        public String type() {
            return "latency";
        }

        @Override
        Toxic add(Proxy proxy, String name, ToxicDirection direction, Map<String, Object> p) throws IOException {
            Latency latency = proxy.toxics().latency(name, direction, millis(p, "delay", 0));
            long jitter = millis(p, "jitter", 0);
            if (jitter > 0) {
                latency.setJitter(jitter);
            }
            return latency;
        }
    }

    /** {@code bandwidth: {rate}} in KB/s; 0 stalls. */
    static final class BandwidthFault extends ToxicFault {
        @Override
        public String type() {
            return "bandwidth";
        }

        @Override
        Toxic add(Proxy proxy, String name, ToxicDirection direction, Map<String, Object> p) throws IOException {
            return proxy.toxics().bandwidth(name, direction, number(p, "rate", 0));
        }
    }

    /** {@code timeout: {after}}: a black hole; closes after {@code after} without data, or holds for ever. */
    static final class TimeoutFault extends ToxicFault {
        @Override
        public String type() {
            return "timeout";
        }

        @Override
        Toxic add(Proxy proxy, String name, ToxicDirection direction, Map<String, Object> p) throws IOException {
            return proxy.toxics().timeout(name, direction, millis(p, "after", 0));
        }
    }

    /** {@code reset: {after}}: a TCP reset. */
    static final class ResetFault extends ToxicFault {
        @Override
        public String type() {
            return "reset";
        }

        @Override
        Toxic add(Proxy proxy, String name, ToxicDirection direction, Map<String, Object> p) throws IOException {
            return proxy.toxics().resetPeer(name, direction, millis(p, "after", 0));
        }
    }

    /** {@code slow-close: {delay}}. */
    static final class SlowCloseFault extends ToxicFault {
        @Override
        public String type() {
            return "slow-close";
        }

        @Override
        Toxic add(Proxy proxy, String name, ToxicDirection direction, Map<String, Object> p) throws IOException {
            return proxy.toxics().slowClose(name, direction, millis(p, "delay", 0));
        }
    }

    /** {@code slicer: {average-size, size-variation, delay}}; the toxic's delay is in microseconds. */
    static final class SlicerFault extends ToxicFault {
        @Override
        public String type() {
            return "slicer";
        }

        @Override
        Toxic add(Proxy proxy, String name, ToxicDirection direction, Map<String, Object> p) throws IOException {
            Slicer slicer = proxy.toxics().slicer(name, direction, number(p, "average-size", 1), millis(p, "delay", 0) * 1_000);
            long variation = number(p, "size-variation", 0);
            if (variation > 0) {
                slicer.setSizeVariation(variation);
            }
            return slicer;
        }
    }

    /** {@code limit-data: {bytes}}. */
    static final class LimitDataFault extends ToxicFault {
        @Override
        public String type() {
            return "limit-data";
        }

        @Override
        Toxic add(Proxy proxy, String name, ToxicDirection direction, Map<String, Object> p) throws IOException {
            return proxy.toxics().limitData(name, direction, number(p, "bytes", 0));
        }
    }
}
