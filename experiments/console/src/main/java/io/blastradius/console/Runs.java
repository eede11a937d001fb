package io.blastradius.console;

import io.blastradius.engine.ManualFaults;
import io.blastradius.experiment.Experiment;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the console's page drives: the experiments it shows, its runs, starting one and the emergency stop.
 * A {@link GameDay} runs what the page asks for; a {@link WatchedRun} is a {@code blastradius run} the page
 * watches, and starts nothing.
 */
interface Runs {

    /** One run: its number, what it runs, its folder, and what it came to so far. */
    record Run(int number, List<String> experiments, Path folder, Instant startedAt, List<String> verdicts, boolean done) {
    }

    /** The experiments the page offers (or, watching, the suite's), by name. */
    Map<String, Experiment> catalog();

    List<Run> runs();

    /** A run's folder, if it is one of these. */
    Optional<Path> folder(int number);

    /**
     * Starts a run of the named experiments; an IllegalStateException while another runs (or when starting
     * is not this console's to do), an IllegalArgumentException naming any it does not have.
     */
    Run start(List<String> names);

    /** Whether the page may start runs ({@code blastradius console}) or only watch one ({@code run --console}). */
    default boolean startsRuns() {
        return true;
    }

    /** Applies a fault by hand, undone by itself after its time limit; an IllegalStateException where faults by hand are not this console's. */
    default ManualFaults.Placed fault(ManualFaultRequest request) {
        throw new IllegalStateException("this console watches a 'blastradius run'; faults by hand are for 'blastradius console'");
    }

    /** Undoes a fault applied by hand; false if it is not in place. */
    default boolean undoFault(String id) {
        return false;
    }

    /** The faults applied by hand and still in place. */
    default List<ManualFaults.Placed> manualFaults() {
        return List.of();
    }

    /** The emergency stop: the run aborted and every fault undone on return (those by hand too); false when nothing was in place. */
    boolean stop() throws InterruptedException;
}
