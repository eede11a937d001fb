package io.blastradius.engine.faults;

import io.blastradius.environment.AppChaos;
import io.blastradius.environment.Capability;
import io.blastradius.environment.Change;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.Quantities;
import io.blastradius.experiment.Service;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * In-app faults through the environment's Chaos Monkey.
 *
 * <ul>
 *   <li>{@code app-latency} {min, max, level} and {@code app-exception} {level}: request assaults in the service's
 *       controllers, level deterministic (exactly every level-th call, so runs repeat; the delay within min–max
 *       comes from Chaos Monkey's own random source).</li>
 *   <li>{@code app-cpu} {load}: threads that burn CPU until the JVM uses {@code load} of the machine's CPU (all cores),
 *       and {@code app-memory} {fill, step, every}: the heap filled by {@code step} of what is free every {@code every},
 *       up to {@code fill} of its maximum. Both are runtime assaults, held until the fault's window ends.</li>
 *   <li>{@code app-kill}: the application ends itself (its Spring context closes at once, its JVM exits 5 s later);
 *       started again at the end of its window, like a crash.</li>
 * </ul>
 *
 * Every assault is undone by switching the monkey and all its assaults off, which also ends a CPU or memory assault
 * within a second.
 */
final class ChaosMonkeyFault implements Fault {

    private enum Kind { LATENCY, EXCEPTION, CPU, MEMORY, KILL }

    /**
     * How long Chaos Monkey is told to hold a CPU or memory assault: longer than any fault window (at most 60 min), so
     * that the window's end, switching the assault off, is what ends it.
     */
    static final Duration HOLD = Duration.ofMinutes(61);
    private final Kind kind;

    private ChaosMonkeyFault(Kind kind) {
        this.kind = kind;
    }

    static List<ChaosMonkeyFault> all() {
        return EnumSet.allOf(Kind.class).stream().map(ChaosMonkeyFault::new).toList();
    }

    @Override
    public String type() {
        return "app-" + kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public Set<Capability> needs() {
        return kind == Kind.KILL ? Set.of(Capability.APP_CHAOS, Capability.PROCESS_SIGNALS, Capability.PROCESS_RESTART) : Set.of(Capability.APP_CHAOS);
    }

    @Override
    public Applied apply(FaultSpec spec, Context context) {
        var environment = context.environment();
        AppChaos chaos = environment.require(environment.appChaos(), Capability.APP_CHAOS, type() + " on " + spec.target());
        if (kind == Kind.KILL && !environment.processes().map(p -> p.canStart()).orElse(false)) {
            throw environment.lacks(Capability.PROCESS_RESTART, type() + " on " + spec.target());
        }
        Service service = spec.service();
        Change enabled = new Change.AssaultEnabled(service);
        context.journal().accept(enabled);
        chaos.enable(service, assaults(spec.parameters()));
        if (kind == Kind.LATENCY || kind == Kind.EXCEPTION) {
            return Applied.of(List.of(enabled));
        }
        if (kind == Kind.KILL) {
            Change killed = new Change.ApplicationKilled(service);
            context.journal().accept(killed);
            chaos.attack(service);
            return Applied.of(List.of(enabled, killed));
        }
        chaos.attack(service);
        return Applied.of(List.of(enabled));
    }

    /** Chaos Monkey's assault settings for this fault's attributes (checked by the experiment's schema): its own on, every other off. */
    String assaults(Map<String, Object> p) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String active : List.of("latencyActive", "exceptionsActive", "memoryActive", "cpuActive", "killApplicationActive")) {
            settings.put(active, false);
        }
        long level = p.get("level") == null ? 1 : ((Number) p.get("level")).longValue();
        switch (kind) {
            case LATENCY -> {
                settings.putAll(Map.of("level", level, "deterministic", true, "latencyActive", true));
                settings.put("latencyRangeStart", Quantities.duration(p.get("min").toString()).toMillis());
                settings.put("latencyRangeEnd", Quantities.duration(p.get("max").toString()).toMillis());
            }
            case EXCEPTION -> settings.putAll(Map.of("level", level, "deterministic", true, "exceptionsActive", true));
            case CPU -> {
                settings.put("cpuActive", true);
                settings.put("cpuLoadTargetFraction", number(p, "load", 0.9));
                settings.put("cpuMillisecondsHoldLoad", HOLD.toMillis());
            }
            case MEMORY -> {
                settings.put("memoryActive", true);
                settings.put("memoryFillTargetFraction", number(p, "fill", 0.8));
                settings.put("memoryFillIncrementFraction", number(p, "step", 0.15));
                settings.put("memoryMillisecondsWaitNextIncrease", Quantities.duration(p.getOrDefault("every", "1s").toString()).toMillis());
                settings.put("memoryMillisecondsHoldFilledMemory", HOLD.toMillis());
            }
            case KILL -> settings.put("killApplicationActive", true);
        }
        StringBuilder json = new StringBuilder("{");
        settings.forEach((key, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(key).append("\":").append(value));
        return json.append('}').toString();
    }

    private static double number(Map<String, Object> p, String key, double otherwise) {
        Object value = p.get(key);
        return value == null ? otherwise : ((Number) value).doubleValue();
    }
}
