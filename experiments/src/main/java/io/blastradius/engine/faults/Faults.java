package io.blastradius.engine.faults;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every fault type by its wire name. To add one: a class implementing {@link Fault}, one line here. */
public final class Faults {

    private static final Map<String, Fault> BY_TYPE = new LinkedHashMap<>();

    static {
        register(new NetworkFaults.LatencyFault());
        register(new NetworkFaults.BandwidthFault());
        register(new NetworkFaults.TimeoutFault());
        register(new NetworkFaults.ResetFault());
        register(new NetworkFaults.SlowCloseFault());
        register(new NetworkFaults.SlicerFault());
        register(new NetworkFaults.LimitDataFault());
        register(new DownFault());
        register(new ChaosMonkeyFault("app-latency"));
        register(new ChaosMonkeyFault("app-exception"));
        register(new ProcessFault("crash"));
        register(new ProcessFault("stop"));
        register(new ProcessFault("pause"));
        register(new ProcessFault("restart"));
    }

    private Faults() {
    }

    private static void register(Fault fault) {
        BY_TYPE.put(fault.type(), fault);
    }

    public static Fault byType(String type) {
        Fault fault = BY_TYPE.get(type);
        if (fault == null) {
            throw new IllegalArgumentException("no fault type '" + type + "'; known: " + String.join(", ", BY_TYPE.keySet()));
        }
        return fault;
    }
}
