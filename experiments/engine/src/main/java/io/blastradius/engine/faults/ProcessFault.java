package io.blastradius.engine.faults;

import io.blastradius.environment.Capability;
import io.blastradius.environment.Change;
import io.blastradius.environment.Processes;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.Service;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Process faults through the environment's processes: {@code crash} (an abrupt end; undone by a start),
 * {@code stop} (a graceful end; undone by a start), {@code pause} (frozen; undone by a resume) and
 * {@code restart} (an abrupt end and at once a start: a bounce, nothing left to undo).
 */
final class ProcessFault implements Fault {

    private enum Kind { CRASH, STOP, PAUSE, RESTART }

    private final Kind kind;

    private ProcessFault(Kind kind) {
        this.kind = kind;
    }

    static List<ProcessFault> all() {
        return List.of(new ProcessFault(Kind.CRASH), new ProcessFault(Kind.STOP), new ProcessFault(Kind.PAUSE), new ProcessFault(Kind.RESTART));
    }

    @Override
    public String type() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public Set<Capability> needs() {
        return kind == Kind.PAUSE ? Set.of(Capability.PROCESS_SIGNALS) : Set.of(Capability.PROCESS_SIGNALS, Capability.PROCESS_RESTART);
    }

    @Override
    public Applied apply(FaultSpec spec, Context context) {
        var environment = context.environment();
        String what = "a " + type() + " of " + spec.target();
        Processes processes = environment.require(environment.processes(), Capability.PROCESS_SIGNALS, what);
        if (kind != Kind.PAUSE && !processes.canStart()) {
            throw environment.lacks(Capability.PROCESS_RESTART, what);
        }
        Service service = spec.service();
        switch (kind) {
            case PAUSE -> {
                Change paused = new Change.ProcessPaused(service);
                context.journal().accept(paused);
                processes.pause(service);
                return Applied.of(List.of(paused));
            }
            case RESTART -> {
                context.journal().accept(new Change.ProcessStopped(service));
                processes.restart(service);
                return Applied.of(List.of());
            }
            default -> {
                Change stopped = new Change.ProcessStopped(service);
                context.journal().accept(stopped);
                if (kind == Kind.CRASH) {
                    processes.kill(service);
                } else {
                    processes.stop(service);
                }
                return Applied.of(List.of(stopped));
            }
        }
    }
}
