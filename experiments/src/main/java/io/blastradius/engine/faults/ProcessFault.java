package io.blastradius.engine.faults;

import io.blastradius.engine.EngineException;
import io.blastradius.experiment.Experiment.FaultSpec;

import java.util.Map;

/**
 * Process faults through the environment: {@code crash} (SIGKILL; undone by a restart), {@code stop}
 * (SIGTERM, a graceful stop; undone by a restart), {@code pause} (SIGSTOP; undone by SIGCONT) and
 * {@code restart} (SIGKILL then at once a start: a bounce).
 */
final class ProcessFault implements Fault {

    private final String type;

    ProcessFault(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Applied apply(FaultSpec spec, Context context) {
        var environment = context.environment();
        String service = spec.target();
        if (!type.equals("pause") && !environment.canRestart()) {
            throw new EngineException("a " + type + " of " + service + " needs an environment that can restart it; "
                    + environment.name() + " cannot");
        }
        switch (type) {
            case "pause" -> {
                long pid = environment.pid(service);
                context.journal().accept(new UndoRecord(context.id(), "paused", Map.of("service", service, "pid", Long.toString(pid))));
                environment.signal(service, "STOP");
                return () -> environment.signal(service, "CONT");
            }
            case "restart" -> {
                environment.signal(service, "KILL");
                environment.restart(service);
                return () -> { };
            }
            default -> {
                context.journal().accept(new UndoRecord(context.id(), "stopped", Map.of("service", service)));
                environment.signal(service, type.equals("crash") ? "KILL" : "TERM");
                boolean[] undone = {false};
                return () -> {
                    if (!undone[0]) {
                        undone[0] = true;
                        environment.restart(service);
                    }
                };
            }
        }
    }
}
