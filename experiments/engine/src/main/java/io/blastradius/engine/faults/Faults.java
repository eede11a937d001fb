package io.blastradius.engine.faults;

import io.blastradius.environment.Capability;
import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.environment.Environments;
import io.blastradius.experiment.FaultSupport;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
        register(new HttpFault());
        ChaosMonkeyFault.all().forEach(Faults::register);
        ProcessFault.all().forEach(Faults::register);
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

    /**
     * What an environment can run, from the capabilities its provider declares: a fault type whose needs
     * it lacks is refused, naming the fault, the environment, what is missing and where it is offered.
     */
    public static FaultSupport supportedBy(EnvironmentProvider provider) {
        return type -> {
            Fault fault = BY_TYPE.get(type);
            if (fault == null) {
                return Optional.empty();
            }
            Set<Capability> missing = EnumSet.noneOf(Capability.class);
            missing.addAll(fault.needs());
            missing.removeAll(provider.capabilities());
            if (missing.isEmpty()) {
                return Optional.empty();
            }
            List<String> elsewhere = Environments.all().stream()
                    .filter(p -> p.capabilities().containsAll(fault.needs())).map(EnvironmentProvider::name).toList();
            return Optional.of("a " + type + " fault needs " + missing.stream().map(Capability::description).collect(Collectors.joining(" and "))
                    + ", which the " + provider.name() + " environment does not offer"
                    + (elsewhere.isEmpty() ? "" : "; run it with --env " + String.join(" or --env ", elsewhere)));
        };
    }
}
