package io.blastradius.environment;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A place where the replica runs, as the engine sees it: a set of capabilities, not a process table.
 * Every environment has {@linkplain #endpoints() endpoints}; the others are there or not, and a caller
 * asks for the one it needs ({@link #require}) and gets a refusal that names the environment when it is
 * absent. Opened by its {@link EnvironmentProvider}; closing it stops what it started, if anything.
 */
public interface Environment extends AutoCloseable {

    /** The name it is found by ({@code local}, {@code attach}, ...). */
    String name();

    /** The gateway and the demo credentials that work on it. */
    Endpoints endpoints();

    /** The Toxiproxy API that every hop goes through. */
    default Optional<FaultProxy> faultProxy() {
        return Optional.empty();
    }

    /** Chaos Monkey in the services that load it. */
    default Optional<AppChaos> appChaos() {
        return Optional.empty();
    }

    /** The services' processes: crash, stop, pause, resume and, where possible, start again. */
    default Optional<Processes> processes() {
        return Optional.empty();
    }

    /** The gateway's circuit breakers. */
    default Optional<Breakers> breakers() {
        return Optional.empty();
    }

    /** Clearing the state no change record covers (the sessions), so that the next experiment starts clean. */
    default Optional<Reset> reset() {
        return Optional.empty();
    }

    /** Other settings in place, restarting only the services they change; absent where a replica with other settings is a new one. */
    default Optional<Reconfigure> reconfigure() {
        return Optional.empty();
    }

    /**
     * How another process reaches this environment again, to undo what a run killed mid-fault left
     * applied: a provider's name and its parameters. Written into the rollback journal.
     */
    EnvironmentRef reattach();

    /** What it offers, from the capabilities above: what its provider must declare ({@link EnvironmentProvider#capabilities()}). */
    default Set<Capability> capabilities() {
        Set<Capability> all = EnumSet.noneOf(Capability.class);
        faultProxy().ifPresent(c -> all.add(Capability.FAULT_PROXY));
        appChaos().ifPresent(c -> all.add(Capability.APP_CHAOS));
        processes().ifPresent(p -> {
            all.add(Capability.PROCESS_SIGNALS);
            if (p.canStart()) {
                all.add(Capability.PROCESS_RESTART);
            }
        });
        breakers().ifPresent(c -> all.add(Capability.BREAKERS));
        reset().ifPresent(c -> all.add(Capability.RESET));
        reconfigure().ifPresent(c -> all.add(Capability.RECONFIGURE));
        return all;
    }

    /** The capability, or the {@link #lacks} error. */
    default <C> C require(Optional<C> capability, Capability which, String forWhat) {
        return capability.orElseThrow(() -> lacks(which, forWhat));
    }

    /** The error for something this environment cannot do: what needs which capability, and that this environment has none. */
    default EnvironmentException lacks(Capability which, String forWhat) {
        return new EnvironmentException(forWhat + " needs " + which.description() + ", which the " + name() + " environment does not offer");
    }

    @Override
    void close();
}
