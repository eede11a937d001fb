package io.blastradius.console;

import io.blastradius.engine.ManualFaults;
import io.blastradius.engine.Overhead;
import io.blastradius.engine.Reports;
import io.blastradius.engine.RunResult;
import io.blastradius.engine.Suite;
import io.blastradius.experiment.Experiment;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the console runs: the experiments it was given, one run at a time on one suite (so one replica for
 * the console's life, reset between experiments), each run in a folder of its own with its report. A run
 * goes on a thread of its own; the emergency stop interrupts it, which the engine answers by aborting the
 * experiment and undoing its faults.
 */
final class GameDay implements Runs, AutoCloseable {

    /** How long a stop waits for the run to finish its rollback and reports. */
    static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final Suite suite;
    private final Map<String, Experiment> catalog = new LinkedHashMap<>();
    private final Path runsDir;
    private final LiveFeed feed;
    private final List<Run> runs = new ArrayList<>();
    private final ManualFaults manual;
    private Thread running;
    /** The run thread already interrupted by a stop. */
    private Thread interrupted;

    GameDay(Suite suite, List<Experiment> experiments, Path runsDir, LiveFeed feed) {
        this.suite = suite;
        experiments.forEach(e -> catalog.put(e.metadata().name(), e));
        this.runsDir = runsDir;
        this.feed = feed;
        this.manual = new ManualFaults(suite::current, suite.rollbackDirectory(), suite.holds(), feed);
        // the reset before an experiment would remove them unsaid (and leave what they hold taken): undone first, and said
        suite.beforeReplicaChanges(() -> manual.undoAll("the replica is reset for the next experiment"));
    }

    @Override
    public ManualFaults.Placed fault(ManualFaultRequest request) {
        return manual.apply(request.fault(), request.limit());
    }

    @Override
    public boolean undoFault(String id) {
        return manual.undo(id);
    }

    @Override
    public List<ManualFaults.Placed> manualFaults() {
        return manual.inPlace();
    }

    @Override
    public Map<String, Experiment> catalog() {
        return catalog;
    }

    @Override
    public synchronized List<Run> runs() {
        return List.copyOf(runs);
    }

    /** A run's folder, if the console made it. */
    @Override
    public synchronized Optional<Path> folder(int number) {
        return runs.stream().filter(r -> r.number() == number).map(Run::folder).findFirst();
    }

    /** Starts a run of the named experiments, in that order, on a thread of its own. */
    @Override
    public synchronized Run start(List<String> names) {
        if (running != null && running.isAlive()) {
            Run current = runs.get(runs.size() - 1);
            throw new IllegalStateException("a run is in progress: run " + current.number() + " (" + String.join(", ", current.experiments())
                    + "), started " + current.startedAt() + "; stop it or wait for it to end");
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no experiment named: pick at least one of " + String.join(", ", catalog.keySet()));
        }
        List<Experiment> chosen = new ArrayList<>();
        for (String name : names) {
            Experiment experiment = catalog.get(name);
            if (experiment == null) {
                throw new IllegalArgumentException("no experiment named '" + name + "' here; the console has " + String.join(", ", catalog.keySet()));
            }
            chosen.add(experiment);
        }
        int number = runs.size() + 1;
        Run run = new Run(number, List.copyOf(names), runsDir.resolve("run-" + number), Instant.now(), List.of(), false);
        runs.add(run);
        feed.run(number);
        feed.publish("queued", Map.of("experiments", names));
        running = new Thread(() -> runAll(run, chosen), "game-day-run-" + number);
        running.start();
        return run;
    }

    private void runAll(Run run, List<Experiment> experiments) {
        long began = System.nanoTime();
        List<RunResult> results = new ArrayList<>();
        try {
            for (Experiment experiment : Suite.inReplicaOrder(experiments)) {
                results.add(suite.run(experiment, run.folder().resolve(experiment.metadata().name())));
                update(run, results, false);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        } finally {
            try {
                if (!results.isEmpty()) {
                    // the console's suite outlives its runs: what it measured outside the phases is not this run's alone
                    Reports.writeSuite(results, Duration.ofNanos(System.nanoTime() - began), new Overhead(), run.folder());
                }
            } catch (RuntimeException e) {
                feed.publish("fault", Map.of("event", "could not write the run's report: " + e.getMessage()));
            }
            update(run, results, true);
            feed.publish("runDone", Map.of("report", results.isEmpty() ? "" : "runs/" + run.number() + "/report.html",
                    "verdicts", results.stream().map(r -> r.experiment().metadata().name() + ": " + r.verdict()).toList()));
        }
    }

    private synchronized void update(Run run, List<RunResult> results, boolean done) {
        runs.replaceAll(r -> r.number() == run.number() ? new Run(r.number(), r.experiments(), r.folder(), r.startedAt(),
                results.stream().map(x -> x.experiment().metadata().name() + ": " + x.verdict()).toList(), done) : r);
    }

    /**
     * Interrupts the run (the engine aborts it and undoes every fault in place) at once, undoes the faults
     * applied by hand, and waits for the run to end. The run is interrupted once only: a second interrupt could
     * land in the engine's rollback. An IllegalStateException if the run has not ended in {@link #STOP_WAIT}.
     */
    @Override
    public boolean stop() throws InterruptedException {
        Thread thread;
        boolean first;
        synchronized (this) {
            thread = running;
            first = thread != null && thread != interrupted;
            if (first) {
                interrupted = thread;
            }
        }
        boolean runGoing = thread != null && thread.isAlive();
        if (!runGoing && manual.inPlace().isEmpty()) {
            return false;
        }
        feed.stopRequested();
        if (runGoing && first) {
            thread.interrupt();
        }
        int byHand = manual.undoAll();
        if (!runGoing) {
            feed.rolledBack(byHand);
            return true;
        }
        thread.join(STOP_WAIT.toMillis());
        if (thread.isAlive()) {
            throw new IllegalStateException("the run has not ended within " + STOP_WAIT.toSeconds() + " s of the stop; what it applied is in"
                    + " its rollback journal ('blastradius rollback' undoes it)");
        }
        return true;
    }

    /** Stops a run still going and undoes the faults applied by hand, then stops the replica. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        manual.close();
        suite.close();
    }
}
