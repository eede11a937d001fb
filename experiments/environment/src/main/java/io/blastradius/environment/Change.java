package io.blastradius.environment;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.blastradius.experiment.Service;

import java.io.IOException;
import java.time.Duration;

/**
 * One change a fault made to an environment, recorded (in the rollback journal) before it is made, and
 * undone through the capabilities of whichever environment it was made in. The same {@link #undo} serves
 * the end of a fault's window, the rollback after a killed run, and a suite's reset.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Change.ToxicAdded.class, name = "toxic-added"),
        @JsonSubTypes.Type(value = Change.ProxyDisabled.class, name = "proxy-disabled"),
        @JsonSubTypes.Type(value = Change.AssaultEnabled.class, name = "assault-enabled"),
        @JsonSubTypes.Type(value = Change.ProcessPaused.class, name = "process-paused"),
        @JsonSubTypes.Type(value = Change.ProcessStopped.class, name = "process-stopped"),
        @JsonSubTypes.Type(value = Change.ApplicationKilled.class, name = "application-killed")})
public sealed interface Change {

    /** Undoes the change; what it did, in words. Undoing what is already undone says so and changes nothing. */
    String undo(Environment environment);

    /** A toxic on one of the fault proxy's proxies. */
    record ToxicAdded(String proxy, String toxic) implements Change {
        @Override
        public String undo(Environment environment) {
            FaultProxy faultProxy = environment.require(environment.faultProxy(), Capability.FAULT_PROXY, "removing toxic " + toxic);
            try {
                return faultProxy.removeToxic(proxy, toxic) ? "removed toxic " + toxic + " from " + proxy : "toxic " + toxic + " was already gone";
            } catch (IOException e) {
                throw new EnvironmentException("could not remove toxic " + toxic + " from " + proxy + ": " + e.getMessage(), e);
            }
        }
    }

    /** A proxy disabled: its hop is down. */
    record ProxyDisabled(String proxy) implements Change {
        @Override
        public String undo(Environment environment) {
            FaultProxy faultProxy = environment.require(environment.faultProxy(), Capability.FAULT_PROXY, "enabling proxy " + proxy);
            try {
                var found = faultProxy.client().getProxy(proxy);
                if (found.isEnabled()) {
                    return "proxy " + proxy + " was already enabled";
                }
                found.enable();
                return "enabled proxy " + proxy + " again";
            } catch (IOException e) {
                throw new EnvironmentException("could not enable proxy " + proxy + " again: " + e.getMessage(), e);
            }
        }
    }

    /** Chaos Monkey switched on in a service, with some assault. */
    record AssaultEnabled(Service service) implements Change {
        @Override
        public String undo(Environment environment) {
            environment.require(environment.appChaos(), Capability.APP_CHAOS, "disabling Chaos Monkey on " + service.wireName())
                    .disable(service);
            return "disabled Chaos Monkey on " + service.wireName();
        }
    }

    /** A service's process paused. */
    record ProcessPaused(Service service) implements Change {
        @Override
        public String undo(Environment environment) {
            Processes processes = environment.require(environment.processes(), Capability.PROCESS_SIGNALS,
                    "continuing " + service.wireName());
            return switch (processes.state(service)) {
                case PAUSED -> {
                    processes.resume(service);
                    yield "continued paused " + service.wireName();
                }
                case RUNNING -> service.wireName() + " was not paused; nothing to continue";
                case GONE -> service.wireName() + " is gone; nothing to continue";
            };
        }
    }

    /** A service's process ended (a crash or a stop); undone by starting it again where the environment can. */
    record ProcessStopped(Service service) implements Change {
        @Override
        public String undo(Environment environment) {
            Processes processes = environment.require(environment.processes(), Capability.PROCESS_SIGNALS,
                    "starting " + service.wireName() + " again");
            if (processes.state(service) != Processes.State.GONE) {
                return service.wireName() + " is running; nothing to start";
            }
            if (!processes.canStart()) {
                return service.wireName() + " was left stopped; the " + environment.name() + " environment cannot start it: start it again where it runs";
            }
            processes.start(service);
            return "restarted " + service.wireName();
        }
    }

    /**
     * A service told to end itself (Chaos Monkey's kill-application assault: its Spring context closes at once, its JVM
     * exits {@link #EXIT_WAIT} or less later); undone by waiting for that exit (ending the process if it lingers
     * past it) and starting the service again, as for {@link ProcessStopped}.
     */
    record ApplicationKilled(Service service) implements Change {
        /** How long a killed application's process may take to exit: Chaos Monkey waits 5 s after closing the context. */
        public static final Duration EXIT_WAIT = Duration.ofSeconds(10);

        @Override
        public String undo(Environment environment) {
            Processes processes = environment.require(environment.processes(), Capability.PROCESS_SIGNALS,
                    "starting " + service.wireName() + " again");
            if (!exited(processes, EXIT_WAIT)) {
                processes.kill(service);
                exited(processes, Duration.ofSeconds(5));
            }
            return new ProcessStopped(service).undo(environment);
        }

        private boolean exited(Processes processes, Duration wait) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (processes.state(service) != Processes.State.GONE) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
