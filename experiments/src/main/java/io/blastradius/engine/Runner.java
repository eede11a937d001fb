package io.blastradius.engine;

import io.blastradius.engine.env.Environment;
import io.blastradius.engine.faults.Fault;
import io.blastradius.engine.faults.Faults;
import io.blastradius.engine.load.LoadGenerator;
import io.blastradius.engine.load.LoadPlan;
import io.blastradius.engine.load.Outcome;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.Experiment.AbortGuard;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import io.blastradius.replica.ReplicaInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one experiment in its fixed order: warmup, baseline, fault (faults applied and removed on
 * schedule), recovery; abort guards checked every second; every fault undone in {@code finally};
 * then judged. Every applied fault is journaled before it is applied (see {@link RollbackJournal}).
 */
public final class Runner {

    /** How long a replica may take to settle: light traffic until every circuit breaker is closed. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    private final Environment environment;
    private final RollbackJournal journal;
    private final RunListener listener;

    public Runner(Environment environment, RollbackJournal journal, RunListener listener) {
        this.environment = environment;
        this.journal = journal;
        this.listener = listener;
    }

    private static final class ScheduledFault {
        final String id;
        final FaultSpec spec;
        final Duration start;
        final Duration end;
        Fault.Applied applied;
        Double appliedAt;
        Double removedAt;
        Long affected;
        String error;

        ScheduledFault(String id, FaultSpec spec, Duration start, Duration end) {
            this.id = id;
            this.spec = spec;
            this.start = start;
            this.end = end;
        }
    }

    public RunResult run(Experiment experiment, long seed) {
        Instant startedAt = Instant.now();
        Map<Phase, Duration> phases = experiment.phases();
        Map<Phase, PhaseWindow> windows = new EnumMap<>(Phase.class);
        List<LoadPlan.Window> planWindows = new ArrayList<>();
        Duration offset = Duration.ZERO;
        Duration faultStart = Duration.ZERO;
        for (Phase phase : Phase.values()) {
            Duration length = phases.getOrDefault(phase, Duration.ZERO);
            if (phase == Phase.FAULT) {
                faultStart = offset;
            }
            windows.put(phase, new PhaseWindow(phase, seconds(offset), seconds(offset.plus(length))));
            Map<Route, Double> rates = new EnumMap<>(Route.class);
            experiment.traffic().forEach(t -> rates.put(t.route(), t.rate(phase)));
            if (!length.isZero()) {
                planWindows.add(new LoadPlan.Window(offset, offset.plus(length), rates));
            }
            offset = offset.plus(length);
        }
        LoadPlan plan = new LoadPlan(planWindows);
        Duration faultEnd = faultStart.plus(phases.get(Phase.FAULT));
        List<ScheduledFault> faults = new ArrayList<>();
        for (int i = 0; i < experiment.faults().size(); i++) {
            FaultSpec spec = experiment.faults().get(i);
            Duration start = faultStart.plus(spec.at());
            Duration end = spec.duration() == null ? faultEnd : start.plus(spec.duration());
            faults.add(new ScheduledFault("br-" + experiment.metadata().name() + "-" + i, spec, start, end));
        }

        ReplicaInfo replica = environment.replica();
        List<String> reasons = new ArrayList<>();
        List<Check> abortChecks = new ArrayList<>();
        BreakerWatch breakers = new BreakerWatch(replica);
        Verdict forced = null;
        boolean interrupted = false;
        LoadGenerator generator = generator(replica, Duration.ofSeconds(10));
        try {
            settle(experiment, replica);
            generator.prepare(plan);
            generator.start(plan);
            breakers.start(generator.startNanos());
            Phase currentPhase = null;
            int reportedSecond = -1;
            while (true) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - generator.startNanos());
                if (elapsed.compareTo(plan.length()) >= 0) {
                    break;
                }
                Phase phase = phaseAt(windows, seconds(elapsed));
                if (phase != currentPhase) {
                    currentPhase = phase;
                    listener.phase(phase, seconds(elapsed));
                }
                for (ScheduledFault fault : faults) {
                    if (fault.appliedAt == null && elapsed.compareTo(fault.start) >= 0) {
                        apply(fault, elapsed);
                    }
                    if (fault.applied != null && fault.removedAt == null && elapsed.compareTo(fault.end) >= 0) {
                        undo(fault, elapsed);
                    }
                }
                int second = (int) elapsed.toSeconds();
                if (second != reportedSecond && second >= 2) {
                    reportedSecond = second;
                    Map<Route, SecondStats> last = lastComplete(generator, experiment, second - 1);
                    listener.second(second - 1, phaseAt(windows, second - 1), last);
                    Check breach = breachedGuard(experiment.abort(), generator, second - 1);
                    if (breach != null) {
                        abortChecks.add(breach);
                        reasons.add("abort guard fired: " + breach.sentence());
                        forced = Verdict.ABORTED;
                        break;
                    }
                }
                sleep(50);
            }
        } catch (RuntimeException e) {
            if (Thread.interrupted() || e.getCause() instanceof InterruptedException) {
                // Ctrl-C or SIGTERM: clear the flag so that the rollback below can still talk to the replica
                interrupted = true;
                forced = Verdict.ABORTED;
                reasons.add("stopped by a signal (Ctrl-C or SIGTERM); every fault was rolled back");
            } else {
                forced = Verdict.ERROR;
                reasons.add("the run failed: " + e.getMessage());
            }
        } finally {
            breakers.stop();
            Duration now = Duration.ofNanos(System.nanoTime() - generator.startNanos());
            for (int i = faults.size() - 1; i >= 0; i--) {
                if (faults.get(i).applied != null && faults.get(i).removedAt == null) {
                    undo(faults.get(i), now);
                }
            }
            journal.close();
            if (forced == Verdict.ABORTED || forced == Verdict.ERROR) {
                generator.stop(Duration.ofSeconds(2));
            } else {
                try {
                    generator.awaitEnd(Duration.ofSeconds(15));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            generator.close();
        }

        Map<Route, RouteSeries> series = new EnumMap<>(Route.class);
        experiment.traffic().forEach(t -> series.put(t.route(), generator.series(t.route())));
        List<Check> checks = forced == Verdict.ERROR ? List.of() : new Evaluation(series, windows).checks(experiment.hypotheses());
        for (AbortGuard guard : experiment.abort()) {
            if (abortChecks.stream().noneMatch(c -> c.hypothesis().equals(guardName(guard)))) {
                abortChecks.add(new Check(guardName(guard), "all", guard.criterion().metric(), "not " + guard.criterion().bound().describe()
                        + " for " + guard.sustained().toSeconds() + " s", "never held", true));
            }
        }
        long lagP99 = generator.lag().getValueAtPercentile(99);
        Verdict verdict = forced;
        if (verdict == null) {
            long sent = series.values().stream().flatMap(r -> r.seconds().stream()).mapToLong(SecondStats::sentCount).sum();
            long planned = experiment.traffic().stream().mapToLong(t -> plan.planned(t.route())).sum();
            List<Judgement.FaultReach> reach = faults.stream().map(f -> new Judgement.FaultReach(
                    f.spec.type() + " on " + f.spec.target(), f.error, f.affected)).toList();
            verdict = Judgement.judge(new Judgement.Evidence(reach, routesFeltIt(series, windows), lagP99, planned, sent, checks), reasons);
        }
        boolean gate = experiment.expect() == Experiment.Expectation.DEVIATION ? verdict == Verdict.DEVIATED : verdict == Verdict.PASSED;
        if (experiment.expect() == Experiment.Expectation.DEVIATION) {
            reasons.add(verdict == Verdict.DEVIATED ? "a deviation was expected (negative control): the toolkit saw the leak"
                    : "a deviation was expected (negative control), but the run " + verdict.name().toLowerCase());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<RunResult.FaultEvent> events = faults.stream().map(f -> new RunResult.FaultEvent(f.id, f.spec.type(), f.spec.target(),
                f.spec.parameters(), f.appliedAt, f.removedAt, f.affected, f.error)).toList();
        return new RunResult(experiment, environment.name(), seed, startedAt, Instant.now(), verdict, gate, List.copyOf(reasons),
                checks, List.copyOf(abortChecks), events, windows, series, generator.worstLagBySecond(), lagP99,
                breakers.changes());
    }

    /**
     * Brings a cold replica to a steady state before anything is measured: three seconds of light
     * traffic on every route the experiment uses (discarded), then every gateway circuit breaker CLOSED
     * (a cold JVM's first slow calls can open one and would spoil the baseline).
     */
    private void settle(Experiment experiment, ReplicaInfo replica) {
        Map<Route, Double> rates = new EnumMap<>(Route.class);
        experiment.traffic().forEach(t -> rates.put(t.route(), Math.min(20.0, Math.max(2.0, t.rate(Phase.BASELINE)))));
        LoadPlan second = new LoadPlan(List.of(new LoadPlan.Window(Duration.ZERO, Duration.ofSeconds(1), rates)));
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        try (LoadGenerator warmer = generator(replica, Duration.ofSeconds(5))) {
            warmer.prepare(second);
            // traffic keeps flowing while we wait: a half-open circuit closes only on calls that succeed
            for (int i = 0; ; i++) {
                warmSecond(warmer, second);
                Map<String, String> states = CircuitBreakers.states(replica);
                boolean closed = states.values().stream().allMatch(st -> st.equals("CLOSED") || st.equals("DISABLED"));
                if (i >= 2 && closed) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new EngineException("the replica did not settle within " + SETTLE_TIMEOUT.toSeconds()
                            + " s: the gateway's circuit breakers are " + states);
                }
            }
        }
    }

    /** Traffic to the replica's gateway with its demo credentials; requests time out after {@code timeout}. */
    private static LoadGenerator generator(ReplicaInfo replica, Duration timeout) {
        return new LoadGenerator(replica.gatewayUrl(),
                new LoadGenerator.Credentials(replica.demo().apiKey(), replica.demo().username(), replica.demo().password()), timeout);
    }

    private static void warmSecond(LoadGenerator warmer, LoadPlan second) {
        warmer.start(second);
        try {
            warmer.awaitEnd(Duration.ofSeconds(6));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while warming the replica up", e);
        }
    }

    /** Some route's errors or p99 moved clearly between baseline and fault phase. */
    static boolean routesFeltIt(Map<Route, RouteSeries> series, Map<Phase, PhaseWindow> windows) {
        PhaseWindow baseline = windows.get(Phase.BASELINE);
        PhaseWindow fault = windows.get(Phase.FAULT);
        for (RouteSeries route : series.values()) {
            long baseTotal = Evaluation.completed(route, baseline);
            long faultTotal = Evaluation.completed(route, fault);
            if (faultTotal == 0) {
                continue;
            }
            double baseErrors = baseTotal == 0 ? 0 : 100.0 * (baseTotal - Evaluation.count(route, baseline, Outcome.SUCCESS)) / baseTotal;
            double faultErrors = 100.0 * (faultTotal - Evaluation.count(route, fault, Outcome.SUCCESS)) / faultTotal;
            double baseP99 = Evaluation.millis(route.latency(baseline.from(), baseline.to()), "p99");
            double faultP99 = Evaluation.millis(route.latency(fault.from(), fault.to()), "p99");
            if (faultErrors >= baseErrors + 1.0 || (baseP99 > 0 && faultP99 >= 1.5 * baseP99 && faultP99 - baseP99 >= 5)) {
                return true;
            }
        }
        return false;
    }

    private void apply(ScheduledFault fault, Duration elapsed) {
        fault.appliedAt = elapsed.toMillis() / 1000.0;
        try {
            fault.applied = Faults.byType(fault.spec.type()).apply(fault.spec,
                    new Fault.Context(environment, fault.id, journal::applying));
            listener.fault("applied " + fault.spec.type() + " on " + fault.spec.target());
        } catch (RuntimeException e) {
            fault.error = e.getMessage();
            listener.fault("could not apply " + fault.spec.type() + " on " + fault.spec.target() + ": " + e.getMessage());
            throw e;
        }
    }

    private void undo(ScheduledFault fault, Duration elapsed) {
        fault.affected = fault.applied.connectionsAffected();
        try {
            fault.applied.undo();
            journal.undone(fault.id);
            listener.fault("removed " + fault.spec.type() + " on " + fault.spec.target());
        } catch (RuntimeException e) {
            fault.error = (fault.error == null ? "" : fault.error + "; ") + "undo failed: " + e.getMessage();
            listener.fault("could not remove " + fault.spec.type() + " on " + fault.spec.target() + ": " + e.getMessage());
        }
        fault.removedAt = elapsed.toMillis() / 1000.0;
    }

    /**
     * A guard holds when its condition held in each of its last {@code for} seconds. An error-rate guard
     * looks at the latest seconds whose requests have (mostly) been answered; a p99 guard also counts
     * requests still waiting, whose latency is at least their age, so a stall trips it while it lasts.
     */
    private static Check breachedGuard(List<AbortGuard> guards, LoadGenerator generator, int lastSecond) {
        long now = System.nanoTime();
        for (AbortGuard guard : guards) {
            int needed = (int) Math.max(1, Math.ceil(guard.sustained().toMillis() / 1000.0));
            boolean errorRate = guard.criterion().metric().equals("error-rate");
            RouteSeries series = generator.series(guard.route());
            // later looks see more answers: re-judge the recent windows, not only the newest
            for (int end = lastSecond; end >= Math.max(needed - 1, lastSecond - 4); end--) {
                if (errorRate && !mostlyAnswered(series, end)) {
                    continue;
                }
                boolean all = true;
                double last = 0;
                for (int s = end - needed + 1; s <= end && all; s++) {
                    SecondStats second = series.second(s).orElse(null);
                    if (second == null || second.sentCount() == 0 || (errorRate && !mostlyAnswered(series, s))) {
                        all = false;
                        continue;
                    }
                    if (errorRate) {
                        last = 100.0 - 100.0 * second.count(Outcome.SUCCESS) / second.completed();
                    } else {
                        double answered = second.completed() == 0 ? 0 : Evaluation.millis(second.latency(), "p99");
                        long waiting = second.sentCount() - second.completed();
                        double waitingAtLeast = (now - generator.startNanos() - (s + 1) * 1_000_000_000L) / 1e6;
                        last = waiting > 0.01 * second.sentCount() ? Math.max(answered, waitingAtLeast) : answered;
                    }
                    all = guard.criterion().bound().holds(last);
                }
                if (all) {
                    return new Check(guardName(guard), "second " + end, guard.criterion().metric(),
                            "not " + guard.criterion().bound().describe() + " for " + needed + " s",
                            String.format(Locale.ROOT, "%.2f", last) + (errorRate ? "%" : " ms") + " for " + needed + " s", false);
                }
            }
        }
        return null;
    }

    private static boolean mostlyAnswered(RouteSeries series, int second) {
        return series.second(second)
                .map(s -> s.sentCount() > 0 && s.completed() >= 0.9 * s.sentCount()).orElse(false);
    }

    static String guardName(AbortGuard guard) {
        return "abort-" + guard.route().wireName() + "-" + guard.criterion().metric();
    }

    private static Map<Route, SecondStats> lastComplete(LoadGenerator generator, Experiment experiment, int second) {
        Map<Route, SecondStats> last = new LinkedHashMap<>();
        for (Experiment.Traffic traffic : experiment.traffic()) {
            generator.series(traffic.route()).second(second)
                    .ifPresent(s -> last.put(traffic.route(), s));
        }
        return last;
    }

    private static Phase phaseAt(Map<Phase, PhaseWindow> windows, int second) {
        for (PhaseWindow window : windows.values()) {
            if (second >= window.from() && second < window.to()) {
                return window.phase();
            }
        }
        return Phase.RECOVERY;
    }

    private static int seconds(Duration duration) {
        return (int) Math.round(duration.toMillis() / 1000.0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted", e);
        }
    }
}
