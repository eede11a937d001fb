package io.blastradius.engine.faults;

import io.blastradius.environment.AppChaos;
import io.blastradius.environment.Capability;
import io.blastradius.environment.Change;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.Quantities;
import io.blastradius.experiment.Service;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In-app faults through the environment's Chaos Monkey: {@code app-latency} {min, max, level} and
 * {@code app-exception} {level}, with level deterministic (exactly every level-th call, so runs repeat;
 * the delay within min–max comes from Chaos Monkey's own random source). Undone by switching the monkey
 * and both assaults off.
 */
final class ChaosMonkeyFault implements Fault {

    private final String type;
    private final boolean latency;

    private ChaosMonkeyFault(String type, boolean latency) {
        this.type = type;
        this.latency = latency;
    }

    static ChaosMonkeyFault latency() {
        return new ChaosMonkeyFault("app-latency", true);
    }

    static ChaosMonkeyFault exceptions() {
        return new ChaosMonkeyFault("app-exception", false);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Set<Capability> needs() {
        return Set.of(Capability.APP_CHAOS);
    }

    @Override
    public Applied apply(FaultSpec spec, Context context) {
        var environment = context.environment();
        AppChaos chaos = environment.require(environment.appChaos(), Capability.APP_CHAOS, type + " on " + spec.target());
        Service service = spec.service();
        Map<String, Object> p = spec.parameters();
        long level = p.get("level") == null ? 1 : ((Number) p.get("level")).longValue();
        String assaults = latency
                ? "{\"level\":" + level + ",\"deterministic\":true,\"latencyActive\":true,\"exceptionsActive\":false,\"latencyRangeStart\":"
                        + Quantities.duration(p.get("min").toString()).toMillis() + ",\"latencyRangeEnd\":"
                        + Quantities.duration(p.get("max").toString()).toMillis() + "}"
                : "{\"level\":" + level + ",\"deterministic\":true,\"latencyActive\":false,\"exceptionsActive\":true}";
        Change change = new Change.AssaultEnabled(service);
        context.journal().accept(change);
        chaos.enable(service, assaults);
        return Applied.of(List.of(change));
    }
}
