package io.blastradius.engine;

import io.blastradius.engine.env.AttachedEnvironment;
import io.blastradius.engine.env.Environment;
import io.blastradius.engine.env.LocalEnvironment;
import io.blastradius.experiment.Experiment;
import io.blastradius.replica.LocalReplica;
import io.blastradius.replica.ReplicaException;
import io.blastradius.replica.ReplicaOptions;
import io.blastradius.replica.ReplicaProfile;
import io.blastradius.replica.RunIds;
import io.blastradius.replica.Service;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Experiments run one after another as a suite: locally on one replica per set of replica settings,
 * started once and {@linkplain LocalEnvironment#reset reset} between experiments (or a fresh one each
 * time when isolated), or on an attached replica; each run's journal under the suite's folder, and the
 * suite's reports at the end. What {@code blastradius run} and {@link io.blastradius.junit.ChaosExperiments} share.
 */
public final class Suite implements AutoCloseable {

    /** Where experiments run: {@code replicaJson} null for a local replica. */
    public record Settings(Path home, Path runDir, Path replicaJson, boolean isolate, Long seed) {
    }

    private final Settings settings;
    private final PrintWriter console;
    private final RunListener listener;
    private final Path rollbackDir;
    private final List<RunResult> results = new ArrayList<>();
    private final long began = System.nanoTime();
    private LocalEnvironment shared;
    private Experiment.ReplicaSpec sharedSpec;
    private int replicasStarted;

    /** Also undoes what an earlier, killed run left applied (its rollback journal), and says so on the console. */
    public Suite(Settings settings, PrintWriter console, RunListener listener) {
        this.settings = settings;
        this.console = console;
        this.listener = listener;
        this.rollbackDir = RollbackJournal.directory(settings.home());
        for (String line : Rollbacks.undoPending(rollbackDir)) {
            console.println("rollback of an earlier run: " + line);
        }
    }

    /**
     * The experiments grouped by the replica they need (profile and properties), in order of first
     * appearance, so that a suite starts one replica per group rather than one per experiment.
     */
    public static List<Experiment> inReplicaOrder(List<Experiment> experiments) {
        Map<Experiment.ReplicaSpec, List<Experiment>> groups = new LinkedHashMap<>();
        experiments.forEach(e -> groups.computeIfAbsent(e.replica(), k -> new ArrayList<>()).add(e));
        return groups.values().stream().flatMap(List::stream).toList();
    }

    /**
     * Runs one experiment and writes its journal.json and junit.xml under the suite's folder. When there
     * is no replica to run it on (it did not start, or an attached one's description is unreadable), the
     * result is an ERROR saying why, so that the suite's reports still list the experiment.
     */
    public RunResult run(Experiment experiment) {
        long seed = settings.seed() != null ? settings.seed()
                : experiment.seed() != null ? experiment.seed() : new SecureRandom().nextLong();
        console.printf("%n== %s: %s (seed %d, %s)%n", experiment.metadata().name(), experiment.metadata().title(), seed,
                settings.replicaJson() == null ? "local" : "attach");
        console.flush();
        RunResult result;
        try {
            Environment environment = environment(experiment, seed);
            try {
                String runId = experiment.metadata().name() + "-" + RunIds.next();
                Path replicaFile = settings.replicaJson() != null ? settings.replicaJson().toAbsolutePath()
                        : Path.of(environment.replica().runDir(), LocalReplica.REPLICA_JSON);
                result = new Runner(environment, new RollbackJournal(rollbackDir, runId, replicaFile), listener).run(experiment, seed);
            } finally {
                if (environment != shared) {
                    environment.close();
                }
            }
        } catch (EngineException e) {
            Instant now = Instant.now();
            result = new RunResult(experiment, settings.replicaJson() == null ? "local" : "attach", seed, now, now, Verdict.ERROR,
                    false, List.of("no replica to run on: " + e.getMessage()), List.of(), List.of(), List.of(), Map.of(), Map.of(),
                    Map.of(), 0, List.of());
        }
        Reports.write(result, settings.runDir().resolve(experiment.metadata().name()));
        results.add(result);
        return result;
    }

    public List<RunResult> results() {
        return List.copyOf(results);
    }

    /** Stops the suite's replica and writes summary.md, junit.xml and report.html; returns the wall-time line. */
    public String finish() {
        close();
        Duration wall = Duration.ofNanos(System.nanoTime() - began);
        if (!results.isEmpty()) {
            Reports.writeSuite(results, wall, settings.runDir());
        }
        return Reports.wallTime(results, wall);
    }

    /**
     * Attach: the running replica. Local: the suite's replica when the experiment needs the same one
     * (reset first), else a new one; when isolated, a new one every time.
     */
    private Environment environment(Experiment experiment, long seed) {
        try {
            if (settings.replicaJson() != null) {
                return AttachedEnvironment.from(settings.replicaJson());
            }
            if (shared != null && experiment.replica().equals(sharedSpec) && !settings.isolate()) {
                console.println("   resetting the replica (toxics, assaults, processes, sessions) ...");
                console.flush();
                try {
                    List<String> mended = shared.reset();
                    if (!mended.isEmpty()) {
                        console.println("   reset: " + String.join(", ", mended));
                    }
                    return shared;
                } catch (ReplicaException | EngineException e) {
                    console.println("   the reset failed (" + e.getMessage() + "): starting a new replica");
                }
            }
            close();
            return startReplica(experiment, seed);
        } catch (ReplicaException | IllegalArgumentException e) {
            throw new EngineException(e.getMessage(), e);
        }
    }

    private LocalEnvironment startReplica(Experiment experiment, long seed) {
        ReplicaOptions.Builder options = ReplicaOptions.custom(settings.home())
                .runDir(settings.runDir().resolve("replica-" + (++replicasStarted) + "-" + experiment.replica().profile()))
                .profile(ReplicaProfile.fromWireName(experiment.replica().profile()))
                .seed(seed);
        experiment.replica().properties().forEach((service, props) -> props.forEach((k, v) ->
                options.property(Service.fromWireName(service), k, v)));
        console.println("   starting the replica (" + experiment.replica().profile() + ") ...");
        console.flush();
        shared = new LocalEnvironment(LocalReplica.start(options.build()));
        sharedSpec = experiment.replica();
        return shared;
    }

    /** Stops the suite's replica, if one runs. */
    @Override
    public void close() {
        if (shared != null) {
            shared.close();
            shared = null;
            sharedSpec = null;
        }
    }
}
