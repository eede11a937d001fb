package io.blastradius.engine;

import io.blastradius.engine.faults.Fault;
import io.blastradius.environment.Breakers;
import io.blastradius.environment.Change;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.engine.faults.Faults;
import io.blastradius.engine.load.Load;
import io.blastradius.engine.load.LoadPlan;
import io.blastradius.experiment.Percentile;
import io.blastradius.experiment.Outcome;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.Experiment.AbortGuard;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs one experiment in its fixed order: warmup, baseline, fault (faults applied and removed on
 * schedule), recovery; abort guards checked every second; every fault undone in {@code finally};
 * then judged. Every change a fault makes is journaled before it is made (see {@link RollbackJournal}).
 * Its clock and its load are given, so that a test runs it in milliseconds against a fake environment.
 */
public final class Runner {

    /** The reason of a run that was interrupted (Ctrl-C, SIGTERM, the console's emergency stop): it judged nothing. */
    public static final String STOPPED_BY_SIGNAL = "stopped (Ctrl-C, SIGTERM or an emergency stop); every fault was rolled back";


    /** How long breakers may take to close once warming has stopped waiting for steady latency. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(45);
    /** Warming stops waiting for steady latency after this long (breakers must still close). */
    static final Duration WARM_LIMIT = Duration.ofSeconds(45);
    /**
     * The same for a replica that has just started: every JVM of it is cold and compiling, on a machine
     * that may have two cores for all of them (containers' JVMs on this project's CI machine took about
     * two minutes of light traffic to warm).
     */
    static final Duration FRESH_WARM_LIMIT = Duration.ofSeconds(150);
    static final int MIN_SETTLE_SECONDS = 4;
    /** The settle step of a replica an earlier experiment already warmed, when a breaker is not closed yet: at least this. */
    static final int WARMED_SETTLE_SECONDS = 1;
    /** Warming traffic per route: the baseline's rate, within [2, this] per second. */
    static final double WARM_RATE_LIMIT = 50;
    /** How long the settle step warms the logout route: each of its requests needs a session made in advance. */
    static final Duration LOGOUT_WARMING = Duration.ofSeconds(15);
    /** Requests a second, while settling, on each route the experiment does not use. */
    static final double TRICKLE = 2;
    private static final Duration TICK = Duration.ofMillis(50);

    private final Environment environment;
    private final RollbackJournal journal;
    private final RunListener listener;
    private final RunClock clock;
    private final Load.Factory loads;
    private Duration warmLimit = WARM_LIMIT;
    private boolean warmedEarlier;
    private Overhead overhead = new Overhead();
    private FaultHolds holds = new FaultHolds();
    /** The routes its last seconds showed warm (see {@link #warmAtEnd}). */
    private Set<Route> warmAtEnd = Set.of();
    /** The sessions the settle step made and did not spend: the run's load starts from them. */
    private Load.Sessions unspent = Load.Sessions.NONE;

    public Runner(Environment environment, RollbackJournal journal, RunListener listener) {
        this(environment, journal, listener, RunClock.SYSTEM, Load.Factory.HTTP);
    }

    public Runner(Environment environment, RollbackJournal journal, RunListener listener, RunClock clock, Load.Factory loads) {
        this.environment = environment;
        this.journal = journal;
        this.listener = listener;
        this.clock = clock;
        this.loads = loads;
    }

    /** The replica has just started (its JITs are cold): warm it for up to {@link #FRESH_WARM_LIMIT}. */
    public Runner onFreshReplica() {
        warmLimit = FRESH_WARM_LIMIT;
        return this;
    }

    /**
     * An earlier experiment warmed these very processes, on every route this one drives: the settle step
     * waits for the breakers only, not for the JITs again; with every breaker closed, it sends nothing (the
     * experiment's own warmup phase opens its connections).
     */
    public Runner onWarmedReplica() {
        warmedEarlier = true;
        return this;
    }

    /** Takes what its faults hold from {@code suiteHolds}, shared with the faults applied by hand on the same replica. */
    public Runner sharing(FaultHolds suiteHolds) {
        holds = suiteHolds;
        return this;
    }

    /** Adds the time its settle step, its sessions and its wrap-up take to a suite's {@link Overhead}. */
    public Runner timedBy(Overhead suiteOverhead) {
        overhead = suiteOverhead;
        return this;
    }

    /**
     * After {@link #run}: the routes whose last seconds of traffic were warm by {@link Warmth}'s rules on latency
     * (the processes that answered them have warmed, even one a fault restarted during the run); none for a run
     * cut short.
     */
    public Set<Route> warmAtEnd() {
        return warmAtEnd;
    }

    public RunResult run(Experiment experiment, long seed) {
        listener.started(experiment, seed);
        RunResult result = runOnce(experiment, seed);
        listener.ended(result);
        return result;
    }

    /** How many users the app traffic comes from. */
    private static int users(Experiment experiment) {
        return experiment.traffic().stream().filter(t -> t.route() == Route.APP).mapToInt(Experiment.Traffic::users).findFirst()
                .orElse(Experiment.Traffic.DEFAULT_USERS);
    }

    private RunResult runOnce(Experiment experiment, long seed) {
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
        LoadPlan plan = new LoadPlan(planWindows, users(experiment), seed);
        FaultSchedule faults = FaultSchedule.of(experiment, faultStart, faultStart.plus(phases.get(Phase.FAULT)));

        List<String> reasons = new ArrayList<>();
        List<Check> abortChecks = new ArrayList<>();
        BreakerWatch breakers = environment.breakers().map(b -> new BreakerWatch(b, clock::nanoTime, listener)).orElse(null);
        Verdict forced = null;
        boolean interrupted = false;
        Load generator = loads.create(environment.endpoints(), Duration.ofSeconds(10));
        RunResult.Settle settled = null;
        try {
            settled = overhead.time(Overhead.Part.SETTLE, () -> settle(experiment));
            Load.Sessions warmed = unspent;
            overhead.time(Overhead.Part.SESSIONS, () -> generator.prepare(plan, warmed));
            generator.start(plan);
            if (breakers != null) {
                breakers.start(generator.startNanos());
            }
            Phase currentPhase = null;
            int reportedSecond = -1;
            while (true) {
                Duration elapsed = Duration.ofNanos(clock.nanoTime() - generator.startNanos());
                if (elapsed.compareTo(plan.length()) >= 0) {
                    break;
                }
                Phase phase = phaseAt(windows, seconds(elapsed));
                if (phase != currentPhase) {
                    currentPhase = phase;
                    listener.phase(phase, seconds(elapsed));
                }
                // removals first: a fault that begins as another ends may need what that one holds
                for (FaultSchedule.Slot fault : faults.dueToRemove(elapsed)) {
                    undo(fault, elapsed);
                }
                for (FaultSchedule.Slot fault : faults.dueToApply(elapsed)) {
                    apply(fault, elapsed);
                }
                int second = (int) elapsed.toSeconds();
                if (second != reportedSecond && second >= 2) {
                    // a slow tick (a fault that took seconds to apply) can skip seconds: a phase that ended in one is judged all the same
                    for (int skipped = Math.max(1, reportedSecond); skipped < second - 1; skipped++) {
                        judgedSoFar(experiment, windows, generator, skipped);
                    }
                    reportedSecond = second;
                    Map<Route, SecondStats> last = lastComplete(generator, experiment, second - 1);
                    listener.second(second - 1, phaseAt(windows, second - 1), last);
                    judgedSoFar(experiment, windows, generator, second - 1);
                    Optional<Check> breach = AbortGuards.breached(experiment.abort(), generator::series, second - 1,
                            clock.nanoTime() - generator.startNanos());
                    if (breach.isPresent()) {
                        abortChecks.add(breach.get());
                        reasons.add("abort guard fired: " + breach.get().sentence());
                        forced = Verdict.ABORTED;
                        break;
                    }
                }
                sleep(TICK);
            }
        } catch (RuntimeException e) {
            if (Thread.interrupted() || e.getCause() instanceof InterruptedException) {
                // Ctrl-C or SIGTERM: clear the flag so that the rollback below can still talk to the replica
                interrupted = true;
                forced = Verdict.ABORTED;
                reasons.add(STOPPED_BY_SIGNAL);
            } else {
                forced = Verdict.ERROR;
                reasons.add("the run failed: " + e.getMessage());
            }
        } finally {
            long wrapUp = clock.nanoTime();
            if (breakers != null) {
                breakers.stop();
            }
            Duration now = Duration.ofNanos(clock.nanoTime() - generator.startNanos());
            List<FaultSchedule.Slot> left = faults.stillInPlace();
            for (FaultSchedule.Slot fault : left) {
                undo(fault, now);
            }
            listener.rolledBack(left.size());
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
            overhead.add(Overhead.Part.WRAP_UP, clock.nanoTime() - wrapUp);
        }

        Map<Route, RouteSeries> series = new EnumMap<>(Route.class);
        experiment.traffic().forEach(t -> series.put(t.route(), generator.series(t.route())));
        List<Check> checks = forced == Verdict.ERROR ? List.of() : new Evaluation(series, windows).checks(experiment.hypotheses());
        for (AbortGuard guard : experiment.abort()) {
            if (abortChecks.stream().noneMatch(c -> c.hypothesis().equals(AbortGuards.name(guard)))) {
                abortChecks.add(AbortGuards.neverHeld(guard));
            }
        }
        if (breakers != null && breakers.unread() != null) {
            reasons.add(breakers.unread());
        }
        if (forced == null) {
            warmAtEnd = warmAtEnd(series, windows);
        }
        long lagP99 = generator.lag().getValueAtPercentile(99);
        Verdict verdict = forced;
        if (verdict == null) {
            // what the plan meant to send: a logged-out user's logins come on top of the plan
            long sent = series.values().stream().flatMap(r -> r.seconds().stream()).mapToLong(s -> s.sentCount() - s.relogins()).sum();
            long planned = experiment.traffic().stream().mapToLong(t -> plan.planned(t.route())).sum();
            List<Judgement.FaultReach> reach = faults.slots().stream().map(f -> new Judgement.FaultReach(f.label(), f.error, f.affected)).toList();
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
        List<RunResult.FaultEvent> events = faults.slots().stream().map(f -> new RunResult.FaultEvent(f.id, f.spec.type(), f.spec.target(),
                f.spec.parameters(), f.appliedAt, f.removedAt, f.affected, f.error)).toList();
        // the logins of users logged out are shown even when the experiment sends no login traffic of its own
        Map<Route, RouteSeries> recorded = new EnumMap<>(series);
        RouteSeries logins = generator.series(Route.LOGIN);
        if (logins != null && logins.seconds().stream().anyMatch(s -> s.relogins() > 0)) {
            recorded.putIfAbsent(Route.LOGIN, logins);
        }
        return new RunResult(experiment, environment.name(), seed, startedAt, Instant.now(), verdict, gate, List.copyOf(reasons),
                checks, List.copyOf(abortChecks), events, windows, recorded, generator.worstLagBySecond(), lagP99,
                breakers == null ? List.of() : breakers.changes(), settled);
    }

    private static Set<Route> warmAtEnd(Map<Route, RouteSeries> series, Map<Phase, PhaseWindow> windows) {
        int end = windows.values().stream().mapToInt(PhaseWindow::to).max().orElse(0);
        Set<Route> warm = EnumSet.noneOf(Route.class);
        series.forEach((route, seconds) -> {
            Warmth last = new Warmth();
            seconds.between(Math.max(0, end - Warmth.KEPT), end).forEach(second -> last.record(route, second.latency()));
            if (last.judged() && last.warm()) {
                warm.add(route);
            }
        });
        return warm;
    }

    /**
     * When a phase's last second is complete: the hypotheses whose phases have all ended by then, judged on the
     * series so far, for a live view; the run's verdict is judged again at its end.
     */
    private void judgedSoFar(Experiment experiment, Map<Phase, PhaseWindow> windows, Load generator, int second) {
        // second is the last complete one: a phase whose last second it is has just ended
        boolean phaseJustEnded = windows.values().stream().anyMatch(w -> w.to() == second + 1 && w.to() > w.from());
        if (!phaseJustEnded) {
            return;
        }
        List<Experiment.Hypothesis> due = experiment.hypotheses().stream()
                .filter(h -> h.during().stream().allMatch(p -> windows.get(p).to() <= second + 1)).toList();
        if (!due.isEmpty()) {
            Map<Route, RouteSeries> series = new EnumMap<>(Route.class);
            experiment.traffic().forEach(t -> series.put(t.route(), generator.series(t.route())));
            listener.judged(second, new Evaluation(series, windows).checks(due));
        }
    }

    /**
     * Brings the replica to a steady state before anything is measured: traffic on every route the
     * experiment uses (discarded) until the JITs are warm (see {@link Warmth}; at most {@link #WARM_LIMIT},
     * or {@link #FRESH_WARM_LIMIT} on a replica just started, after which the run goes on and says so)
     * and every gateway circuit breaker is CLOSED (a cold JVM's
     * first slow calls can open one and would spoil the baseline). Breakers that cannot be read are not
     * taken for closed: the settle step waits for them too, and says why it gave up. An experiment that
     * claims nothing about speed waits for its breakers only, and so does one on processes an earlier experiment
     * warmed ({@link #onWarmedReplica}), which needs no traffic at all when they are closed. When a breaker is not closed at the start,
     * the routes the experiment does not use get a trickle ({@link #TRICKLE} a second) all the same: a
     * breaker an earlier experiment left half-open closes only on calls that succeed, and an experiment on
     * the api alone makes none through auth-service. (Not logout: its sessions are made before it starts.)
     */
    private RunResult.Settle settle(Experiment experiment) {
        Optional<Breakers> breakers = environment.breakers();
        if (warmedEarlier && breakers.map(Runner::notClosed).isEmpty()) {
            listener.settled(0, true, "warmed by an earlier experiment on the same processes; every breaker closed");
            return new RunResult.Settle(0, true, true, Map.of());
        }
        Map<Route, Double> rates = new EnumMap<>(Route.class);
        experiment.traffic().forEach(t -> rates.put(t.route(), Math.min(WARM_RATE_LIMIT, Math.max(2.0, t.rate(Phase.BASELINE)))));
        Set<Route> measured = Set.copyOf(rates.keySet());
        if (breakers.map(Runner::notClosed).isPresent()) {
            for (Route route : List.of(Route.API, Route.APP, Route.LOGIN)) {
                rates.putIfAbsent(route, TRICKLE);
            }
        }
        Duration timeout = warmLimit.plus(SETTLE_TIMEOUT);
        // a logout spends a session made beforehand, through the login rate limit: make them for the first
        // seconds only, not for all the time warming may take (2/s for 195 s was 390 logins, 40 s at 10/s)
        Map<Route, Double> later = new EnumMap<>(rates);
        later.remove(Route.LOGOUT);
        Duration sessions = LOGOUT_WARMING.compareTo(timeout) < 0 ? LOGOUT_WARMING : timeout;
        List<LoadPlan.Window> windows = new ArrayList<>(List.of(new LoadPlan.Window(Duration.ZERO, sessions, rates)));
        if (sessions.compareTo(timeout) < 0) {
            windows.add(new LoadPlan.Window(sessions, timeout, later));
        }
        LoadPlan warming = new LoadPlan(windows, users(experiment), 0);
        Warmth warmth = new Warmth();
        // only a claim about speed needs warm JITs (a success rate holds or fails on a cold replica alike), and
        // only where no earlier experiment warmed them
        boolean speed = experiment.judgesSpeed() && !warmedEarlier;
        int least = warmedEarlier ? WARMED_SETTLE_SECONDS : MIN_SETTLE_SECONDS;
        try (Load warmer = loads.create(environment.endpoints(), Duration.ofSeconds(5))) {
            warmer.prepare(warming, Load.Sessions.NONE);
            warmer.start(warming);
            // traffic keeps flowing while we wait: a half-open circuit closes only on calls that succeed
            for (int second = 0; ; second++) {
                awaitSecond(warmer, second + 1);
                warmth.cpu(clock.cpuLoad());
                if (second == LOGOUT_WARMING.toSeconds()) {
                    // no logouts after this: their last seconds must not keep the others from being judged warm
                    warmth.forget(Route.LOGOUT);
                }
                for (Route route : measured) {
                    if (route == Route.LOGOUT && second >= LOGOUT_WARMING.toSeconds()) {
                        continue;
                    }
                    warmer.series(route).second(second).ifPresent(s -> warmth.record(route, s.latency()));
                }
                String notYet = breakers.map(Runner::notClosed).orElse(null);
                boolean warm = !speed || warmth.warm();
                if (second + 1 >= least && (warm || second + 1 >= warmLimit.toSeconds()) && notYet == null) {
                    warmer.stop(Duration.ofSeconds(2));
                    unspent = warmer.unspent();
                    listener.settled(second + 1, warm, (warmedEarlier ? "warmed by an earlier experiment on the same processes; " : "")
                            + warmth.latest());
                    return new RunResult.Settle(second + 1, warm, warmedEarlier, warmth.latencies());
                }
                if (second + 1 >= timeout.toSeconds()) {
                    throw new EngineException("the replica did not settle within " + timeout.toSeconds() + " s: " + notYet);
                }
            }
        }
    }

    private void awaitSecond(Load load, int second) {
        long due = load.startNanos() + Duration.ofSeconds(second).toNanos();
        try {
            for (long left = due - clock.nanoTime(); left > 0; left = due - clock.nanoTime()) {
                clock.sleep(Duration.ofNanos(Math.min(left, TICK.toNanos())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while warming the replica up", e);
        }
    }

    /** Null when every breaker is closed (or disabled); else what is not, in words. */
    private static String notClosed(Breakers breakers) {
        Map<String, String> states;
        try {
            states = breakers.states();
        } catch (EnvironmentException e) {
            return "the gateway's circuit breakers could not be read: " + e.getMessage();
        }
        boolean closed = states.values().stream().allMatch(st -> st.equals("CLOSED") || st.equals("DISABLED"));
        return closed ? null : "the gateway's circuit breakers are " + states;
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
            double baseP99 = Evaluation.millis(route.latency(baseline.from(), baseline.to()), Percentile.P99);
            double faultP99 = Evaluation.millis(route.latency(fault.from(), fault.to()), Percentile.P99);
            if (faultErrors >= baseErrors + 1.0 || (baseP99 > 0 && faultP99 >= 1.5 * baseP99 && faultP99 - baseP99 >= 5)) {
                return true;
            }
        }
        return false;
    }

    private void apply(FaultSchedule.Slot fault, Duration elapsed) {
        fault.appliedAt = elapsed.toMillis() / 1000.0;
        try {
            holds.take(fault.spec.holds(), fault.id, fault.label() + " (experiment fault " + fault.id + ")");
            fault.applied = Faults.byType(fault.spec.type()).apply(fault.spec, new Fault.Context(environment, fault.id, change -> {
                journal.applying(fault.id, change);
                fault.journaled.add(change);
            }));
            listener.fault("applied " + fault.label());
        } catch (RuntimeException e) {
            fault.error = e.getMessage();
            listener.fault("could not apply " + fault.label() + ": " + e.getMessage());
            throw e;
        }
    }

    /** Undoes what the fault changed, last change first, through the environment; a failure is kept, not thrown. */
    private void undo(FaultSchedule.Slot fault, Duration elapsed) {
        fault.affected = fault.applied == null ? null : fault.applied.connectionsAffected();
        List<Change> changes = new ArrayList<>(fault.toUndo());
        Collections.reverse(changes);
        try {
            for (Change change : changes) {
                change.undo(environment);
            }
            journal.undone(fault.id);
            if (fault.applied != null || !changes.isEmpty()) {
                listener.fault("removed " + fault.label());
            }
        } catch (RuntimeException e) {
            fault.error = (fault.error == null ? "" : fault.error + "; ") + "undo failed: " + e.getMessage();
            listener.fault("could not remove " + fault.label() + ": " + e.getMessage());
        }
        holds.release(fault.spec.holds(), fault.id);
        fault.removedAt = elapsed.toMillis() / 1000.0;
    }

    private static Map<Route, SecondStats> lastComplete(Load generator, Experiment experiment, int second) {
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

    private void sleep(Duration duration) {
        try {
            clock.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted", e);
        }
    }
}
