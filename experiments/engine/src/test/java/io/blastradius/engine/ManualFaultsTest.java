package io.blastradius.engine;

import io.blastradius.engine.fake.FakeClock;
import io.blastradius.engine.fake.FakeEnvironment;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.ExperimentLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Faults by hand: journaled while in place, undone by their own timer, by hand, or all at once. */
class ManualFaultsTest {

    @TempDir
    Path journals;

    final FakeEnvironment environment = new FakeEnvironment(new FakeClock());
    final List<String> heard = new CopyOnWriteArrayList<>();
    final RunListener listener = new RunListener() {
        @Override
        public void fault(String event) {
            heard.add(event);
        }
    };

    static FaultSpec pause(String service) {
        return new FaultSpec("pause", service, Map.of(), Duration.ZERO, null, null, 1.0);
    }

    @Test
    void aFaultByHandIsUndoneByItselfWhenItsTimeIsUp() throws Exception {
        try (ManualFaults faults = new ManualFaults(() -> environment, journals, new FaultHolds(), listener)) {
            ManualFaults.Placed placed = faults.apply(pause("inference-stub"), Duration.ofSeconds(2));

            // 2 s: long enough that a stall of a busy machine does not undo it before it is looked at
            assertThat(faults.inPlace()).containsExactly(placed);
            assertThat(RollbackJournal.pending(journals)).as("journaled while in place").hasSize(1);
            // the timer takes the fault off the list, undoes it, then says so: wait for the last of these
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (heard.stream().noneMatch(e -> e.startsWith("removed")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(faults.inPlace()).isEmpty();
            assertThat(environment.calls()).extracting(FakeEnvironment.Call::what).containsExactly("pause inference-stub", "resume inference-stub");
            assertThat(RollbackJournal.pending(journals)).isEmpty();
            assertThat(heard).last().asString().isEqualTo("removed pause on inference-stub (its time limit)");
        }
    }

    @Test
    void undoneByHandOrAllAtOnceAndOnCloseAndALimitIsRequired() {
        ManualFaults faults = new ManualFaults(() -> environment, journals, new FaultHolds(), listener);
        ManualFaults.Placed one = faults.apply(pause("inference-stub"), Duration.ofMinutes(5));
        faults.apply(pause("session-cache"), Duration.ofMinutes(5));
        faults.apply(pause("auth-service"), Duration.ofMinutes(5));

        assertThat(faults.undo(one.id())).isTrue();
        assertThat(faults.undo(one.id())).as("once").isFalse();
        assertThat(faults.undoAll()).isEqualTo(1 + 1);
        faults.apply(pause("inference-stub"), Duration.ofMinutes(5));
        faults.close();
        assertThat(environment.calls()).extracting(FakeEnvironment.Call::what).filteredOn(c -> c.startsWith("resume")).hasSize(4);
        assertThat(RollbackJournal.pending(journals)).isEmpty();

        ManualFaults again = new ManualFaults(() -> environment, journals, new FaultHolds(), listener);
        for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofMinutes(31)}) {
            assertThatThrownBy(() -> again.apply(pause("inference-stub"), bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("a manual fault needs a time limit of more than 0 and at most 30m, after which it is undone by itself");
        }
        again.close();
    }

    @Test
    void aSecondFaultOnWhatAFaultInPlaceHoldsIsRefusedUntilTheFirstIsUndone() {
        try (ManualFaults faults = new ManualFaults(() -> environment, journals, new FaultHolds(), listener)) {
            ManualFaults.Placed first = faults.apply(pause("inference-stub"), Duration.ofMinutes(5));
            faults.apply(pause("session-cache"), Duration.ofMinutes(5));

            assertThatThrownBy(() -> faults.apply(pause("inference-stub"), Duration.ofMinutes(5))).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the process inference-stub takes one such fault at a time, and pause on inference-stub (by hand) is in place: undo it first");
            assertThat(faults.inPlace()).hasSize(2);
            assertThat(environment.calls()).extracting(FakeEnvironment.Call::what).containsExactly("pause inference-stub", "pause session-cache");

            faults.undo(first.id());
            faults.apply(pause("inference-stub"), Duration.ofMinutes(5));
            assertThat(faults.inPlace()).hasSize(2);
        }
    }

    @Test
    void aFaultByHandOnWhatAnExperimentsFaultHoldsIsRefusedUntilTheExperimentLetsGo() {
        FaultHolds shared = new FaultHolds();
        List<String> process = ExperimentLoader.holders("crash", "inference-stub");
        shared.take(process, "br-game-day-0", "crash on inference-stub (experiment fault br-game-day-0)");
        try (ManualFaults faults = new ManualFaults(() -> environment, journals, shared, listener)) {
            assertThatThrownBy(() -> faults.apply(pause("inference-stub"), Duration.ofMinutes(5))).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the process inference-stub takes one such fault at a time, and crash on inference-stub (experiment fault br-game-day-0) is in place:"
                            + " undo it first");
            assertThat(environment.calls()).as("nothing applied").isEmpty();
            assertThat(faults.inPlace()).isEmpty();

            // a fault that ended does not free what another took in its place
            shared.release(process, "manual-other");
            assertThatThrownBy(() -> faults.apply(pause("inference-stub"), Duration.ofMinutes(5))).isInstanceOf(IllegalStateException.class);
            shared.release(process, "br-game-day-0");
            ManualFaults.Placed placed = faults.apply(pause("inference-stub"), Duration.ofMinutes(5));

            // and the other way: the experiment's next fault on it meets the fault by hand
            assertThatThrownBy(() -> shared.take(process, "br-game-day-1", "pause on inference-stub (experiment fault br-game-day-1)"))
                    .hasMessage("the process inference-stub takes one such fault at a time, and pause on inference-stub (by hand) is in place:"
                            + " undo it first");
            faults.undo(placed.id());
            shared.take(process, "br-game-day-1", "pause on inference-stub (experiment fault br-game-day-1)");
        }
    }

    @Test
    void aFaultThatFindsNoReplicaHoldsNothingAfterwards() {
        java.util.concurrent.atomic.AtomicBoolean starting = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (ManualFaults faults = new ManualFaults(() -> {
            if (starting.getAndSet(false)) {
                throw new IllegalStateException("the replica did not start");
            }
            return environment;
        }, journals, new FaultHolds(), listener)) {
            assertThatThrownBy(() -> faults.apply(pause("inference-stub"), Duration.ofMinutes(5))).hasMessage("the replica did not start");
            faults.apply(pause("inference-stub"), Duration.ofMinutes(5));
            assertThat(faults.inPlace()).hasSize(1);
        }
    }
}
