package io.blastradius.faultproxy.toxics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The registry of toxic types, by wire name. To add a type: one class, one line here. */
public final class ToxicKinds {

    private static final Map<String, ToxicKind<?>> KINDS = new LinkedHashMap<>();

    static {
        register(new LatencyToxic());
        register(new BandwidthToxic());
        register(new SlowCloseToxic());
        register(new TimeoutToxic());
        register(new ResetPeerToxic());
        register(new SlicerToxic());
        register(new LimitDataToxic());
        register(new NoopToxic());
        register(new HttpToxic());
    }

    private ToxicKinds() {
    }

    private static void register(ToxicKind<?> kind) {
        KINDS.put(kind.type(), kind);
    }

    public static Optional<ToxicKind<?>> byType(String type) {
        return Optional.ofNullable(type == null ? null : KINDS.get(type));
    }
}
