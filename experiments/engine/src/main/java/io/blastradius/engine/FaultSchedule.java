package io.blastradius.engine;

import io.blastradius.engine.faults.Fault;
import io.blastradius.environment.Change;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.Experiment.FaultSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * When each fault of an experiment is due, in time since the start of the load, and what became of it:
 * a fault starts at the fault phase's start plus its {@code at}, and ends after its {@code for} or with
 * the fault phase. Each is applied once, whether or not applying worked, and removed once. Pure: the
 * runner asks it what is due at a moment and records what it did.
 */
final class FaultSchedule {

    /** One fault's slot in the schedule. */
    static final class Slot {
        final String id;
        final FaultSpec spec;
        final Duration start;
        final Duration end;
        /** What it journaled before each change: what to undo if applying failed half-way. */
        final List<Change> journaled = new ArrayList<>();
        Fault.Applied applied;
        Double appliedAt;
        Double removedAt;
        Long affected;
        String error;

        Slot(String id, FaultSpec spec, Duration start, Duration end) {
            this.id = id;
            this.spec = spec;
            this.start = start;
            this.end = end;
        }

        /** Applying was tried, and nothing was removed yet. */
        boolean inPlace() {
            return appliedAt != null && removedAt == null;
        }

        /** What undoing it must reverse: what it applied, or (if applying failed) what it had journaled. */
        List<Change> toUndo() {
            return applied != null ? applied.changes() : List.copyOf(journaled);
        }

        String label() {
            return spec.type() + " on " + spec.target();
        }
    }

    private final List<Slot> slots;

    private FaultSchedule(List<Slot> slots) {
        this.slots = slots;
    }

    /** The experiment's faults, its fault phase running from {@code faultStart} to {@code faultEnd}. */
    static FaultSchedule of(Experiment experiment, Duration faultStart, Duration faultEnd) {
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < experiment.faults().size(); i++) {
            FaultSpec spec = experiment.faults().get(i);
            Duration start = faultStart.plus(spec.at());
            Duration end = spec.duration() == null ? faultEnd : start.plus(spec.duration());
            slots.add(new Slot("br-" + experiment.metadata().name() + "-" + i, spec, start, end));
        }
        return new FaultSchedule(List.copyOf(slots));
    }

    List<Slot> slots() {
        return slots;
    }

    /** Faults whose start has come and that were not tried yet, in order. */
    List<Slot> dueToApply(Duration elapsed) {
        return slots.stream().filter(s -> s.appliedAt == null && elapsed.compareTo(s.start) >= 0).toList();
    }

    /** Faults in place whose end has come. */
    List<Slot> dueToRemove(Duration elapsed) {
        return slots.stream().filter(s -> s.applied != null && s.removedAt == null && elapsed.compareTo(s.end) >= 0).toList();
    }

    /** Every fault still in place, last applied first: what the run's {@code finally} undoes. */
    List<Slot> stillInPlace() {
        List<Slot> left = new ArrayList<>(slots.stream().filter(Slot::inPlace).toList());
        Collections.reverse(left);
        return left;
    }
}
