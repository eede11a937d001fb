package io.blastradius.environment;

import eu.rekawek.toxiproxy.Proxy;
import io.blastradius.experiment.Service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every change an environment shows, whoever made it: paused and dead processes, toxics, disabled
 * proxies, monkeys switched on. A suite's reset undoes these with the same {@link Change#undo} a fault uses.
 * (A monkey of a dead service cannot be read; it is looked at once the processes are undone.)
 */
public final class Leftovers {

    private Leftovers() {
    }

    /** Everything visible now, in the order of {@link #undoAll}: links, then processes, then monkeys. */
    public static List<Change> in(Environment environment) {
        List<Change> found = new ArrayList<>(links(environment));
        found.addAll(processes(environment));
        found.addAll(monkeys(environment));
        return found;
    }

    /**
     * Undoes every change the environment shows, one layer after another, each looked at once the one
     * before is undone: the links first (a service restarted behind a disabled link would never become
     * healthy), then the processes (Redis before the services that need it), then the monkeys (of
     * services that run again). What it undid, in words.
     */
    public static List<String> undoAll(Environment environment) {
        List<String> undone = new ArrayList<>();
        for (Function<Environment, List<Change>> layer : List.<Function<Environment, List<Change>>>of(
                Leftovers::links, Leftovers::processes, Leftovers::monkeys)) {
            for (Change change : layer.apply(environment)) {
                undone.add(change.undo(environment));
            }
        }
        return undone;
    }

    /** Disabled proxies and toxics on the fault proxy. */
    static List<Change> links(Environment environment) {
        List<Change> found = new ArrayList<>();
        environment.faultProxy().ifPresent(faultProxy -> {
            try {
                for (Proxy proxy : faultProxy.client().getProxies()) {
                    if (!proxy.isEnabled()) {
                        found.add(new Change.ProxyDisabled(proxy.getName()));
                    }
                    for (String toxic : faultProxy.toxicNames(proxy.getName())) {
                        found.add(new Change.ToxicAdded(proxy.getName(), toxic));
                    }
                }
            } catch (IOException e) {
                throw new EnvironmentException("could not list the fault proxy's proxies at " + faultProxy.apiUrl() + ": " + e.getMessage(), e);
            }
        });
        return found;
    }

    /** Paused processes, then dead ones, each in the order of {@link Service}: Redis first. */
    static List<Change> processes(Environment environment) {
        List<Change> found = new ArrayList<>();
        environment.processes().ifPresent(p -> {
            for (Service service : Service.values()) {
                if (p.state(service) == Processes.State.PAUSED) {
                    found.add(new Change.ProcessPaused(service));
                }
            }
            for (Service service : Service.values()) {
                if (p.state(service) == Processes.State.GONE) {
                    found.add(new Change.ProcessStopped(service));
                }
            }
        });
        return found;
    }

    /** Monkeys switched on. */
    static List<Change> monkeys(Environment environment) {
        List<Change> found = new ArrayList<>();
        environment.appChaos().ifPresent(chaos -> {
            for (Service service : Service.values()) {
                if (service.hasChaosMonkey() && chaos.enabled(service)) {
                    found.add(new Change.AssaultEnabled(service));
                }
            }
        });
        return found;
    }
}
