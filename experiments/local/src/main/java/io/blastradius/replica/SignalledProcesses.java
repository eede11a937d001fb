package io.blastradius.replica;

import io.blastradius.environment.Processes;
import io.blastradius.experiment.Service;
import io.blastradius.replica.Signals.Signal;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * {@link Processes} as OS processes: signals to each service's current pid. Starting again is what
 * the launcher of the replica can do, so it is given (local) or absent (attach).
 */
final class SignalledProcesses implements Processes {

    /** How long a graceful stop may take before it is a kill. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private final ToLongFunction<Service> pid;
    private final Consumer<Service> start;

    /** {@code start} null: nothing here can start a service again. */
    SignalledProcesses(ToLongFunction<Service> pid, Consumer<Service> start) {
        this.pid = pid;
        this.start = start;
    }

    @Override
    public State state(Service service) {
        return Signals.state(pid.applyAsLong(service));
    }

    /** The pid: a process started again has another one (a pid reused after wrapping all the way round aside). */
    @Override
    public Optional<String> identity(Service service) {
        long current = pid.applyAsLong(service);
        return Signals.state(current) == State.GONE ? Optional.empty() : Optional.of("pid " + current);
    }

    @Override
    public void kill(Service service) {
        Signals.send(pid.applyAsLong(service), Signal.KILL);
    }

    /** SIGTERM, then as {@code docker stop} does: wait for the end, and SIGKILL after {@link #GRACE}. */
    @Override
    public void stop(Service service) {
        long pid = this.pid.applyAsLong(service);
        Signals.send(pid, Signal.TERM);
        long deadline = System.nanoTime() + GRACE.toNanos();
        while (Signals.state(pid) != State.GONE) {
            if (System.nanoTime() > deadline) {
                Signals.send(pid, Signal.KILL);
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplicaException("interrupted while " + service.wireName() + " was stopping", e);
            }
        }
    }

    @Override
    public void pause(Service service) {
        Signals.send(pid.applyAsLong(service), Signal.STOP);
    }

    @Override
    public void resume(Service service) {
        Signals.send(pid.applyAsLong(service), Signal.CONT);
    }

    @Override
    public boolean canStart() {
        return start != null;
    }

    @Override
    public void start(Service service) {
        if (start == null) {
            throw new ReplicaException("nothing here can start " + service.wireName() + " again: it runs under another launcher");
        }
        start.accept(service);
    }
}
