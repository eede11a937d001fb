package io.blastradius.engine;

import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.environment.Leftovers;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.Route;
import io.blastradius.experiment.Service;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Experiments run one after another as a suite, in one environment: one per set of replica settings,
 * opened once and {@linkplain #reset reset} between experiments where the environment can be reset (or
 * a fresh one each time when isolated, or when it cannot); where it can also be {@linkplain
 * io.blastradius.environment.Reconfigure reconfigured}, one for the whole suite, other settings restarting
 * only the services they change; each run's journal under the suite's folder,
 * and the suite's reports at the end. What {@code blastradius run} and the JUnit integration share.
 */
public final class Suite implements AutoCloseable {

    /**
     * Where experiments run.
     *
     * @param environment the provider of the environment ({@code local}, {@code attach}, ...)
     * @param parameters  its parameters (attach: {@code replica}, the replica.json)
     */
    public record Settings(Path home, Path runDir, EnvironmentProvider environment, Map<String, String> parameters,
                           boolean isolate, Long seed) {
        public Settings {
            parameters = Map.copyOf(parameters);
        }
    }

    private final Settings settings;
    private final PrintWriter console;
    private final RunListener listener;
    private final Path rollbackDir;
    private final List<RunResult> results = new ArrayList<>();
    private final long began = System.nanoTime();
    private final Overhead overhead = new Overhead();
    /** What the faults in place on its replica hold: its experiments' and those applied by hand. */
    private final FaultHolds holds = new FaultHolds();
    private Runnable beforeReplicaChanges = () -> { };
    private Environment shared;
    private Experiment.ReplicaSpec sharedSpec;
    private int replicasStarted;
    /** The shared environment has just been opened: no experiment has warmed it yet. */
    private boolean fresh;
    /** What earlier experiments warmed on the shared environment; null when nothing is known to be warm. */
    private Warmed warmed;

    /**
     * Processes that earlier experiments' last seconds showed warm, and the routes they were warm on (each
     * route's path through the services, compiled by their JITs): while every process is the same one, a later
     * experiment on these routes needs no warming. Only where each process can be told from its next start.
     */
    record Warmed(Map<Service, String> processes, Set<Route> routes) {

        /** The processes of an environment now; empty when any of them cannot be told apart from a restart of it. */
        static Optional<Map<Service, String>> of(Environment environment) {
            if (environment.processes().isEmpty()) {
                return Optional.empty();
            }
            Map<Service, String> now = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                Optional<String> identity = environment.processes().get().identity(service);
                if (identity.isEmpty()) {
                    return Optional.empty();
                }
                now.put(service, identity.get());
            }
            return Optional.of(now);
        }

        boolean covers(Map<Service, String> now, Set<Route> needed) {
            return processes.equals(now) && routes.containsAll(needed);
        }

        /** After a run whose last seconds were warm on these routes, on {@code now}: the earlier ones too while the processes are the same. */
        Warmed with(Map<Service, String> now, Set<Route> more) {
            Set<Route> all = EnumSet.noneOf(Route.class);
            if (processes.equals(now)) {
                all.addAll(routes);
            }
            all.addAll(more);
            return new Warmed(now, all);
        }
    }

    /**
     * Also undoes what an earlier, killed run left applied (its rollback journal) and removes what it left
     * running in this suite's kind of environment (its containers), and says so on the console.
     */
    public Suite(Settings settings, PrintWriter console, RunListener listener) {
        this.settings = settings;
        this.console = console;
        this.listener = listener;
        this.rollbackDir = RollbackJournal.directory(settings.home());
        for (String line : Rollbacks.undoPending(rollbackDir)) {
            console.println("rollback of an earlier run: " + line);
        }
        for (String line : settings.environment().removeLeftovers()) {
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
        return run(experiment, settings.runDir().resolve(experiment.metadata().name()));
    }

    /** The same, its journal.json and junit.xml written into {@code folder} (a console's runs each have their own). */
    public RunResult run(Experiment experiment, Path folder) {
        long seed = settings.seed() != null ? settings.seed()
                : experiment.seed() != null ? experiment.seed() : new SecureRandom().nextLong();
        console.printf("%n== %s: %s (seed %d, %s)%n", experiment.metadata().name(), experiment.metadata().title(), seed,
                settings.environment().name());
        console.flush();
        RunResult result;
        try {
            Environment environment = environment(experiment, seed);
            String runId = experiment.metadata().name() + "-" + RunIds.next();
            Runner runner = new Runner(environment, new RollbackJournal(rollbackDir, runId, environment.reattach()), listener)
                    .timedBy(overhead).sharing(holds);
            Set<Route> routes = experiment.traffic().stream().map(Experiment.Traffic::route)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(Route.class)));
            if (fresh) {
                runner.onFreshReplica();
                fresh = false;
                warmed = null;
            } else if (warmed != null && Warmed.of(environment).filter(now -> warmed.covers(now, routes)).isPresent()) {
                runner.onWarmedReplica();
            }
            result = runner.run(experiment, seed);
            // what its last seconds showed warm, on the processes that answered them (before a reset restarts any)
            Optional<Map<Service, String>> after = Warmed.of(environment);
            warmed = after.isEmpty() ? null : (warmed == null ? new Warmed(after.get(), Set.of()) : warmed).with(after.get(), runner.warmAtEnd());
        } catch (EngineException | EnvironmentException e) {
            Instant now = Instant.now();
            result = new RunResult(experiment, settings.environment().name(), seed, now, now, Verdict.ERROR,
                    false, List.of("no replica to run on: " + e.getMessage()), List.of(), List.of(), List.of(), Map.of(), Map.of(),
                    Map.of(), 0, List.of(), null);
        }
        RunResult written = result;
        overhead.time(Overhead.Part.REPORTS, () -> Reports.write(written, folder));
        results.add(result);
        return result;
    }

    public List<RunResult> results() {
        return List.copyOf(results);
    }

    /** Stops the suite's replica and writes summary.md, junit.xml and report.html; returns the wall-time line. */
    public String finish() {
        overhead.time(Overhead.Part.STOP, this::close);
        if (!results.isEmpty()) {
            overhead.time(Overhead.Part.REPORTS, () -> Reports.writeSuite(results, Duration.ofNanos(System.nanoTime() - began), overhead,
                    settings.runDir()));
        }
        return Reports.wallTime(results, Duration.ofNanos(System.nanoTime() - began), overhead);
    }

    /**
     * The suite's environment when the experiment needs the same replica and it can be reset (reset
     * first), else a new one; when isolated, a new one every time.
     */
    private synchronized Environment environment(Experiment experiment, long seed) {
        if (shared != null) {
            beforeReplicaChanges.run();
        }
        if (shared != null && !settings.isolate() && shared.reset().isPresent()
                && (experiment.replica().equals(sharedSpec) || shared.reconfigure().isPresent())) {
            console.println("   resetting the replica (toxics, assaults, processes, sessions) ...");
            console.flush();
            try {
                List<String> mended = overhead.time(Overhead.Part.RESET, () -> reset(shared));
                if (!mended.isEmpty()) {
                    console.println("   reset: " + String.join(", ", mended));
                }
                if (!experiment.replica().equals(sharedSpec)) {
                    overhead.time(Overhead.Part.REPLICA, () -> reconfigure(experiment.replica()));
                }
                return shared;
            } catch (EnvironmentException | EngineException e) {
                console.println("   the replica cannot be reused (" + e.getMessage() + "): starting a new one");
            }
        }
        overhead.time(Overhead.Part.STOP, this::close);
        EnvironmentRequest request = new EnvironmentRequest(settings.home(),
                settings.runDir().resolve("replica-" + (++replicasStarted) + "-" + experiment.replica().profile()),
                experiment.replica(), seed, settings.parameters());
        console.println("   opening the " + settings.environment().name() + " environment (" + experiment.replica().profile() + ") ...");
        console.flush();
        try {
            shared = overhead.time(Overhead.Part.REPLICA, () -> settings.environment().open(request));
        } catch (IllegalArgumentException e) {
            throw new EnvironmentException(e.getMessage(), e);
        }
        sharedSpec = experiment.replica();
        fresh = true;
        return shared;
    }

    /** The shared replica given the experiment's settings, restarting only the services they change; as fresh as a new one. */
    private void reconfigure(Experiment.ReplicaSpec spec) {
        console.println("   other replica settings (" + String.join(", ", changes(sharedSpec, spec)) + "): restarting the services they change ...");
        console.flush();
        long began = System.nanoTime();
        List<Service> restarted = shared.reconfigure().orElseThrow().apply(spec);
        sharedSpec = spec;
        fresh |= !restarted.isEmpty();
        console.printf(Locale.ROOT, "   restarted %s in %.1f s; the rest kept running%n",
                restarted.isEmpty() ? "nothing" : restarted.stream().map(Service::wireName).collect(Collectors.joining(", ")),
                (System.nanoTime() - began) / 1e9);
        console.flush();
    }

    /** What differs between two replica settings, in words: "profile coupled", "gateway: key=value", "auth-service: key unset". */
    static List<String> changes(Experiment.ReplicaSpec from, Experiment.ReplicaSpec to) {
        List<String> changes = new ArrayList<>();
        if (!from.profile().equals(to.profile())) {
            changes.add("profile " + to.profile());
        }
        Set<String> services = new TreeSet<>(from.properties().keySet());
        services.addAll(to.properties().keySet());
        for (String service : services) {
            Map<String, String> before = from.properties().getOrDefault(service, Map.of());
            Map<String, String> after = to.properties().getOrDefault(service, Map.of());
            Set<String> keys = new TreeSet<>(before.keySet());
            keys.addAll(after.keySet());
            for (String key : keys) {
                if (!after.containsKey(key)) {
                    changes.add(service + ": " + key + " unset");
                } else if (!after.get(key).equals(before.get(key))) {
                    changes.add(service + ": " + key + "=" + after.get(key));
                }
            }
        }
        return changes;
    }

    /**
     * Puts an environment back as it was before the last experiment: every change it shows undone with
     * the same code a fault's own undo runs (toxics removed, proxies enabled, paused processes continued,
     * dead ones started again, monkeys off), then its own state cleared (the sessions). What it mended, in words.
     */
    public static List<String> reset(Environment environment) {
        List<String> mended = new ArrayList<>(Leftovers.undoAll(environment));
        environment.reset().ifPresent(r -> mended.addAll(r.clearState()));
        return mended;
    }

    /**
     * The environment in use, or, when none is open yet, one opened with the default settings: what faults
     * applied by hand act on ({@link ManualFaults}).
     */
    public synchronized Environment current() {
        if (shared == null) {
            EnvironmentRequest request = new EnvironmentRequest(settings.home(), settings.runDir().resolve("replica-" + (++replicasStarted)
                    + "-" + Experiment.ReplicaSpec.DEFAULT.profile()), Experiment.ReplicaSpec.DEFAULT, settings.seed() == null ? 0 : settings.seed(),
                    settings.parameters());
            console.println("   opening the " + settings.environment().name() + " environment (" + Experiment.ReplicaSpec.DEFAULT.profile() + ") ...");
            console.flush();
            try {
                shared = settings.environment().open(request);
            } catch (IllegalArgumentException e) {
                throw new EnvironmentException(e.getMessage(), e);
            }
            sharedSpec = Experiment.ReplicaSpec.DEFAULT;
            fresh = true;
        }
        return shared;
    }

    /** The rollback journals' folder of this suite. */
    public Path rollbackDirectory() {
        return rollbackDir;
    }

    /** What the faults in place on the suite's replica hold: faults applied by hand on it take from the same ({@link ManualFaults}). */
    public FaultHolds holds() {
        return holds;
    }

    /**
     * Runs {@code hook} before each experiment that resets the suite's replica or replaces it, while the replica is
     * still there: the console undoes its faults by hand, which the reset would otherwise remove unsaid.
     */
    public void beforeReplicaChanges(Runnable hook) {
        beforeReplicaChanges = hook;
    }

    /** Stops the suite's replica, if one runs. */
    @Override
    public synchronized void close() {
        if (shared != null) {
            shared.close();
            shared = null;
            sharedSpec = null;
        }
    }
}
