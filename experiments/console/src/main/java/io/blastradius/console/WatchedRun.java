package io.blastradius.console;

import io.blastradius.experiment.Experiment;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@code blastradius run} as its console sees it: the suite's experiments, one run (the suite), and an
 * emergency stop that interrupts the thread running it, as Ctrl-C does. It starts nothing.
 */
final class WatchedRun implements Runs {

    private final Map<String, Experiment> experiments = new LinkedHashMap<>();
    private final Thread runner;
    private final LiveFeed feed;
    private final Path folder;
    private final Instant startedAt = Instant.now();
    private volatile List<String> verdicts = List.of();
    private volatile boolean done;
    private final AtomicBoolean stopped = new AtomicBoolean();

    WatchedRun(List<Experiment> suite, Thread runner, LiveFeed feed, Path folder) {
        suite.forEach(e -> experiments.put(e.metadata().name(), e));
        this.runner = runner;
        this.feed = feed;
        this.folder = folder;
    }

    @Override
    public Map<String, Experiment> catalog() {
        return experiments;
    }

    @Override
    public List<Run> runs() {
        return List.of(new Run(1, List.copyOf(experiments.keySet()), folder, startedAt, verdicts, done));
    }

    @Override
    public Optional<Path> folder(int number) {
        return number == 1 ? Optional.of(folder) : Optional.empty();
    }

    @Override
    public boolean startsRuns() {
        return false;
    }

    @Override
    public Run start(List<String> names) {
        throw new IllegalStateException("this console watches a 'blastradius run' and starts nothing; 'blastradius console' runs what you pick");
    }

    /** Interrupts the run's thread and waits until the engine has undone the faults in place. */
    @Override
    public boolean stop() throws InterruptedException {
        if (done || !runner.isAlive()) {
            return false;
        }
        if (stopped.compareAndSet(false, true)) {
            // once: a second interrupt could land in the engine's rollback
            feed.stopRequested();
            runner.interrupt();
        }
        long deadline = System.nanoTime() + GameDay.STOP_WAIT.toNanos();
        // the engine says when its faults are undone; interrupted between experiments, the run just ends
        while (!feed.rolledBackSinceStop() && !done && runner.isAlive()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the run has not rolled back within " + GameDay.STOP_WAIT.toSeconds() + " s of the stop;"
                        + " what it applied is in its rollback journal ('blastradius rollback' undoes it)");
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** The suite has ended: its verdicts, and its report in the folder. */
    void finished(List<String> verdicts) {
        this.verdicts = List.copyOf(verdicts);
        this.done = true;
        feed.publish("runDone", Map.of("report", "runs/1/report.html", "verdicts", verdicts));
    }
}
