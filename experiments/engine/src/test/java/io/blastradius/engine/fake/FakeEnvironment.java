package io.blastradius.engine.fake;

import io.blastradius.environment.Breakers;
import io.blastradius.environment.Endpoints;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.EnvironmentRef;
import io.blastradius.environment.Processes;
import io.blastradius.experiment.Service;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An environment with endpoints and processes only, that records what it is asked to do (and when, on
 * the fake clock) and can be told to fail; breakers when given. No fault proxy, no Chaos Monkey, no reset.
 */
public final class FakeEnvironment implements Environment {

    /** What was done, and when on the fake clock. */
    public record Call(String what, long nanos) {
        /** Seconds since {@code startNanos} (the load's start). */
        public double secondsAfter(long startNanos) {
            return (nanos - startNanos) / 1e9;
        }
    }

    private final FakeClock clock;
    private final List<Call> calls = new ArrayList<>();
    private final Map<Service, Processes.State> states = new EnumMap<>(Service.class);
    private Consumer<String> beforeEachCall = what -> { };
    private String failOn;
    private Supplier<Map<String, String>> breakers;

    public FakeEnvironment(FakeClock clock) {
        this.clock = clock;
    }

    /** Runs before each call is carried out, e.g. to look at the rollback journal at that moment. */
    public void beforeEachCall(Consumer<String> check) {
        this.beforeEachCall = check;
    }

    /** Gives it breakers, whose states {@code states} tells each time they are read. */
    public void breakers(Supplier<Map<String, String>> states) {
        this.breakers = states;
    }

    @Override
    public Optional<Breakers> breakers() {
        return Optional.ofNullable(breakers).map(states -> states::get);
    }

    /** The next call of this name ("pause inference-stub") throws, once. */
    public void failOn(String what) {
        this.failOn = what;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    private synchronized void call(String what) {
        beforeEachCall.accept(what);
        if (what.equals(failOn)) {
            failOn = null;
            throw new EnvironmentException(what + " failed on purpose");
        }
        calls.add(new Call(what, clock.nanoTime()));
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Endpoints endpoints() {
        return Endpoints.of(URI.create("http://127.0.0.1:9"), new Endpoints.Credentials("key", "user", "password"));
    }

    @Override
    public Optional<Processes> processes() {
        return Optional.of(new Processes() {
            @Override
            public State state(Service service) {
                return states.getOrDefault(service, State.RUNNING);
            }

            @Override
            public void kill(Service service) {
                call("kill " + service.wireName());
                states.put(service, State.GONE);
            }

            @Override
            public void stop(Service service) {
                call("stop " + service.wireName());
                states.put(service, State.GONE);
            }

            @Override
            public void pause(Service service) {
                call("pause " + service.wireName());
                states.put(service, State.PAUSED);
            }

            @Override
            public void resume(Service service) {
                call("resume " + service.wireName());
                states.put(service, State.RUNNING);
            }

            @Override
            public boolean canStart() {
                return true;
            }

            @Override
            public void start(Service service) {
                call("start " + service.wireName());
                states.put(service, State.RUNNING);
            }
        });
    }

    @Override
    public EnvironmentRef reattach() {
        return new EnvironmentRef("fake", Map.of());
    }

    @Override
    public void close() {
    }
}
