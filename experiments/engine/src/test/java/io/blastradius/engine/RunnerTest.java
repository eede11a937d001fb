package io.blastradius.engine;

import io.blastradius.engine.fake.FakeClock;
import io.blastradius.engine.fake.FakeEnvironment;
import io.blastradius.engine.fake.FakeLoad;
import io.blastradius.experiment.Outcome;
import io.blastradius.environment.Change;
import io.blastradius.experiment.Comparison;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.Quantity;
import io.blastradius.experiment.Route;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run order on a fake environment, a fake load and a clock that moves only when the runner
 * sleeps: faults journaled before they are applied, applied and removed on schedule, abort guards
 * firing, everything undone in {@code finally}, and the verdict. Milliseconds, no sockets.
 */
class RunnerTest {

    @TempDir
    Path journals;

    final FakeClock clock = new FakeClock();
    final FakeEnvironment environment = new FakeEnvironment(clock);
    final List<FakeLoad> loads = new ArrayList<>();

    /** Healthy everywhere, but login fails fast (503 JSON) in the fault phase: seconds 3 to 6 of the load. */
    FakeLoad.Script loginFailsInTheFault = (route, second) -> route == Route.LOGIN && second >= 3 && second < 6
            ? new FakeLoad.Result(Outcome.GRACEFUL, 5) : FakeLoad.Result.FINE;

    static Experiment experiment(String faultsAndMore) {
        return new ExperimentLoader().load(Path.of("runner-test.yaml"), """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: runner-test, title: The run order }
                traffic:
                  - { route: api, rate: 20/s }
                  - { route: login, rate: 10/s }
                phases: { warmup: 1s, baseline: 2s, fault: 3s, recovery: 2s }
                """ + faultsAndMore);
    }

    /** The experiment above with inference-stub paused in the fault phase and one hypothesis. */
    static Experiment pausingWith(String hypothesis) {
        return experiment("faults:\n  - { target: inference-stub, pause: {} }\nhypotheses:\n  - " + hypothesis + "\n");
    }

    RunResult run(Experiment experiment, FakeLoad.Script script) {
        return run(experiment, script, new RunListener() { });
    }

    RunResult run(Experiment experiment, FakeLoad.Script script, RunListener listener) {
        return runner(script, listener).run(experiment, 7);
    }

    Runner runner(FakeLoad.Script script, RunListener listener) {
        RollbackJournal journal = new RollbackJournal(journals, "run", environment.reattach());
        return new Runner(environment, journal, listener, clock, (endpoints, timeout) -> {
            FakeLoad load = new FakeLoad(clock, script);
            loads.add(load);
            return load;
        });
    }

    /** The load that was judged: the first one made (the next one warmed the replica up). */
    long loadStart() {
        return loads.get(0).startNanos();
    }

    List<String> pendingChanges() {
        return RollbackJournal.pending(journals).stream().flatMap(f -> RollbackJournal.read(f).entries().stream())
                .filter(e -> !e.undone()).map(e -> e.change().toString()).toList();
    }

    @Test
    void aFaultIsJournaledBeforeItIsAppliedAndUndoneWhenItsWindowEnds() {
        List<List<String>> journaledAtEachCall = new ArrayList<>();
        environment.beforeEachCall(what -> journaledAtEachCall.add(pendingChanges()));

        RunResult result = run(experiment("""
                faults:
                  - { target: inference-stub, pause: {}, at: 1s, for: 1s }
                hypotheses:
                  - { name: api-ok, route: api, during: [baseline, fault, recovery], success-rate: ">= 99%" }
                  - { name: login-fails-fast, route: login, during: [fault], failures: graceful }
                """), loginFailsInTheFault);

        assertThat(environment.calls()).extracting(FakeEnvironment.Call::what).containsExactly("pause inference-stub", "resume inference-stub");
        assertThat(environment.calls().get(0).secondsAfter(loadStart())).as("at 1 s into the fault phase, which starts at 3 s")
                .isBetween(4.0, 4.1);
        assertThat(environment.calls().get(1).secondsAfter(loadStart())).as("after its 'for'").isBetween(5.0, 5.1);
        assertThat(journaledAtEachCall.get(0)).as("the pause was journaled before it was made")
                .containsExactly(new Change.ProcessPaused(Service.INFERENCE_STUB).toString());
        assertThat(result.faults()).singleElement().satisfies(f -> {
            assertThat(f.appliedAt()).isBetween(4.0, 4.1);
            assertThat(f.removedAt()).isBetween(5.0, 5.1);
            assertThat(f.error()).isNull();
        });
        assertThat(result.verdict()).as(String.join("; ", result.reasons())).isEqualTo(Verdict.PASSED);
        assertThat(RollbackJournal.pending(journals)).as("everything undone: the journal is gone").isEmpty();
    }

    @Test
    void aFaultOnWhatAFaultByHandHoldsIsAnErrorNamingItAndOneEndingAsTheNextBeginsFreesItInTime() {
        FaultHolds holds = new FaultHolds();
        List<String> process = ExperimentLoader.holders("pause", "inference-stub");
        holds.take(process, "manual-1", "stop on inference-stub (by hand)");
        RunResult refused = runner(loginFailsInTheFault, new RunListener() { }).sharing(holds).run(pausingWith(
                "{ name: api-ok, route: api, during: [baseline], success-rate: \">= 99%\" }"), 7);

        assertThat(refused.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(refused.reasons()).singleElement().asString().isEqualTo("the run failed: the process inference-stub takes one such fault at a"
                + " time, and stop on inference-stub (by hand) is in place: undo it first");
        assertThat(environment.calls()).as("nothing applied").isEmpty();

        // the control: once the fault by hand is undone, two pauses back to back (one ends as the next begins) take turns
        holds.release(process, "manual-1");
        RunResult result = runner(loginFailsInTheFault, new RunListener() { }).sharing(holds).run(experiment("""
                faults:
                  - { target: inference-stub, pause: {}, for: 1s }
                  - { target: inference-stub, pause: {}, at: 1s, for: 1s }
                hypotheses:
                  - { name: api-ok, route: api, during: [baseline], success-rate: ">= 99%" }
                """), 7);
        assertThat(result.verdict()).as(String.join("; ", result.reasons())).isEqualTo(Verdict.PASSED);
        assertThat(result.faults()).allSatisfy(f -> assertThat(f.error()).isNull());
        assertThat(environment.calls()).extracting(FakeEnvironment.Call::what)
                .containsExactly("pause inference-stub", "resume inference-stub", "pause inference-stub", "resume inference-stub");
        holds.take(process, "manual-2", "pause on inference-stub (by hand)"); // the run let go of it
    }

    @Test
    void theListenerHearsTheRunStartJudgedPhaseByPhaseRolledBackAndEnded() {
        List<String> heard = new ArrayList<>();
        RunResult result = run(experiment("""
                faults:
                  - { target: inference-stub, pause: {} }
                hypotheses:
                  - { name: api-ok, route: api, during: [baseline], success-rate: ">= 99%" }
                  - { name: login-fails-fast, route: login, during: [fault], failures: graceful }
                  - { name: api-later, route: api, during: [baseline, recovery], success-rate: ">= 99%" }
                """), loginFailsInTheFault, new RunListener() {
            @Override
            public void started(Experiment experiment, long seed) {
                heard.add("started " + experiment.metadata().name() + " " + seed);
            }

            @Override
            public void judged(int second, List<Check> checks) {
                heard.add("judged at " + second + ": " + checks.stream().map(c -> c.hypothesis() + (c.passed() ? " held" : " failed")).toList());
            }

            @Override
            public void rolledBack(int undone) {
                heard.add("rolled back " + undone);
            }

            @Override
            public void ended(RunResult result) {
                heard.add("ended " + result.verdict());
            }
        });

        assertThat(result.verdict()).isEqualTo(Verdict.PASSED);
        // phases: warmup [0,1), baseline [1,3), fault [3,6), recovery [6,8); the pause lasts the fault phase, so it is undone on schedule
        assertThat(heard).containsExactly("started runner-test 7",
                "judged at 2: [api-ok held]",
                "judged at 5: [api-ok held, login-fails-fast held]",
                "rolled back 0",
                "ended PASSED");
    }

    @Test
    void warmingMakesLogoutSessionsForItsFirstSecondsOnlyNotForAllItMayTake() {
        run(new ExperimentLoader().load(Path.of("logout.yaml"), """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: logout, title: Logouts }
                traffic: [ { route: logout, rate: 4/s } ]
                phases: { baseline: 2s, fault: 2s, recovery: 2s }
                hypotheses: [ { name: logout-ok, route: logout, during: [fault], p99: "<= 1s" } ]
                """), (route, second) -> FakeLoad.Result.FINE);

        FakeLoad warming = loads.get(1);
        assertThat(warming.plan().planned(Route.LOGOUT)).as("4/s for the first 15 s, each a login made beforehand")
                .isEqualTo(4 * Runner.LOGOUT_WARMING.toSeconds());
        assertThat(warming.plan().length()).as("warming may still go on for as long as before").isEqualTo(Runner.WARM_LIMIT.plus(Runner.SETTLE_TIMEOUT));
        assertThat(loads.get(0).plan().planned(Route.LOGOUT)).as("the experiment's own: every second of its phases").isEqualTo(24);
        assertThat(loads.get(0).given()).as("the experiment's load starts from the sessions warming left").isEqualTo(warming.unspent());
    }

    /** What the settle step told the listener, and whether the warming traffic was still running. */
    record Settled(int seconds, boolean warm) { }

    @Test
    void aWarmReplicaSettlesAfterTheMinimumAndAColdOneIsWarmedUntilItStopsGettingFaster() {
        Experiment experiment = pausingWith("{ name: api-ok, route: api, during: [baseline], success-rate: \">= 99%\", p99: \"<= 250ms\" }");
        Experiment ratesOnly = pausingWith("{ name: api-ok, route: api, during: [baseline], success-rate: \">= 99%\" }");
        List<Settled> settled = new ArrayList<>();
        RunListener hears = new RunListener() {
            @Override
            public void settled(int seconds, boolean warm, String latest) {
                settled.add(new Settled(seconds, warm));
            }
        };
        RunResult fine = run(experiment, (route, second) -> FakeLoad.Result.FINE, hears);
        // 800 ms halving each second until 50 ms, then flat: a JIT warming up
        RunResult warming = run(experiment, (route, second) -> settled.size() == 1
                ? new FakeLoad.Result(Outcome.SUCCESS, Math.max(50, 800 >> second)) : FakeLoad.Result.FINE, hears);
        // still 15 % faster every second when warming gives up
        RunResult gaveUp = run(experiment, (route, second) -> settled.size() == 2
                ? new FakeLoad.Result(Outcome.SUCCESS, (long) (100_000 * Math.pow(0.85, second))) : FakeLoad.Result.FINE, hears);
        // steady latency on a machine whose every core is busy (a replica's JITs still compiling): not warm
        clock.cpuLoad(1.0);
        FakeLoad.Script neverWarm = (route, second) -> FakeLoad.Result.FINE;
        runner(neverWarm, hears).run(experiment, 7);
        // the same on a replica just started: warmed for longer
        runner(neverWarm, hears).onFreshReplica().run(experiment, 7);
        // a success rate holds or fails on a cold replica alike: not warmed at all
        runner(neverWarm, hears).onFreshReplica().run(ratesOnly, 7);
        // the same busy machine, processes an earlier experiment warmed: the breakers alone are waited for, and
        // with every one closed no warming traffic is sent at all
        int loadsBefore = loads.size();
        RunResult warmedEarlier = runner(neverWarm, hears).onWarmedReplica().run(experiment, 7);
        assertThat(loads).as("the experiment's own load only").hasSize(loadsBefore + 1);

        assertThat(settled).containsExactly(new Settled(Runner.MIN_SETTLE_SECONDS, true),
                new Settled(8, true), // 50 ms from second 4: seconds 4-5 no faster than 6-7
                new Settled((int) Runner.WARM_LIMIT.toSeconds(), false),
                new Settled((int) Runner.WARM_LIMIT.toSeconds(), false),
                new Settled((int) Runner.FRESH_WARM_LIMIT.toSeconds(), false),
                new Settled(Runner.MIN_SETTLE_SECONDS, true),
                new Settled(0, true));
        assertThat(warmedEarlier.settle().warmedEarlier()).isTrue();
        assertThat(fine.settle().warmedEarlier()).isFalse();
        // the journal keeps the settle step: how long, whether warm, each route's latency at its end
        assertThat(fine.settle()).extracting(RunResult.Settle::seconds, RunResult.Settle::warm).containsExactly(Runner.MIN_SETTLE_SECONDS, true);
        assertThat(warming.settle().seconds()).isEqualTo(8);
        assertThat(warming.settle().latency().get("api").p50Ms()).isBetween(49.9, 50.1);
        assertThat(gaveUp.settle().warm()).isFalse();
        assertThat(Journal.of(gaveUp).settle()).isSameAs(gaveUp.settle());
    }

    @Test
    void onWarmedProcessesWarmingTrafficIsSentOnlyUntilEveryBreakerIsClosed() {
        Experiment experiment = pausingWith("{ name: api-ok, route: api, during: [baseline], p99: \"<= 250ms\" }");
        // a breaker an earlier experiment left half-open, closed 3 s from now (as the trickle's successes would)
        long closesAt = clock.nanoTime() + Duration.ofSeconds(3).toNanos();
        environment.breakers(() -> Map.of("auth", clock.nanoTime() < closesAt ? "HALF_OPEN" : "CLOSED"));

        RunResult halfOpen = runner((route, second) -> FakeLoad.Result.FINE, new RunListener() { }).onWarmedReplica().run(experiment, 7);
        RunResult closed = runner((route, second) -> FakeLoad.Result.FINE, new RunListener() { }).onWarmedReplica().run(experiment, 7);

        assertThat(halfOpen.settle().seconds()).as("warming traffic until the breaker closed").isBetween(3, 4);
        assertThat(loads.get(1).plan().planned(Route.APP)).as("a trickle on the routes the experiment does not use").isPositive();
        assertThat(closed.settle().seconds()).isZero();
        assertThat(loads).as("two experiments' loads and one warming load").hasSize(3);
    }

    @Test
    void theRoutesWhoseLastSecondsWereSteadyAreWarmAtTheEndAndARouteStillGettingFasterIsNot() {
        Experiment experiment = pausingWith("{ name: api-ok, route: api, during: [baseline], success-rate: \">= 99%\" }");
        // api steady; login (a new process after a crash, say) halving its latency every second to the end
        Runner runner = runner((route, second) -> route == Route.LOGIN
                ? new FakeLoad.Result(Outcome.SUCCESS, 4_000 >> Math.min(second, 12)) : FakeLoad.Result.FINE, new RunListener() { });
        runner.run(experiment, 7);
        assertThat(runner.warmAtEnd()).containsExactly(Route.API);
    }

    @Test
    void aFailingHypothesisIsADeviationAndTheGateFollowsTheExpectation() {
        String body = """
                faults:
                  - { target: inference-stub, pause: {} }
                hypotheses:
                  - { name: login-ok, route: login, during: [fault], success-rate: ">= 99%" }
                """;
        RunResult deviated = run(experiment(body), loginFailsInTheFault);
        RunResult control = run(experiment(body + "expect: deviation\n"), loginFailsInTheFault);

        assertThat(deviated.verdict()).isEqualTo(Verdict.DEVIATED);
        assertThat(deviated.gatePassed()).isFalse();
        assertThat(deviated.reasons()).anySatisfy(r -> assertThat(r).startsWith("login-ok: success-rate during fault: required ≥ 99%, actual 0%"));
        assertThat(control.verdict()).isEqualTo(Verdict.DEVIATED);
        assertThat(control.gatePassed()).as("a negative control passes by deviating").isTrue();
    }

    @Test
    void anAbortGuardStopsTheRunAndTheFaultIsUndoneInFinally() {
        RunResult result = run(experiment("""
                faults:
                  - { target: inference-stub, pause: {} }
                hypotheses:
                  - { name: api-ok, route: api, during: [fault], success-rate: ">= 99%" }
                abort:
                  - { route: api, error-rate: "> 50%", for: 1s }
                """), (route, second) -> route == Route.API && second >= 3 ? new FakeLoad.Result(Outcome.TIMEOUT, 900) : FakeLoad.Result.FINE);

        assertThat(result.verdict()).isEqualTo(Verdict.ABORTED);
        assertThat(result.abortChecks()).singleElement().satisfies(c -> {
            assertThat(c.passed()).isFalse();
            assertThat(c.sentence()).isEqualTo("error-rate during second 3: required not > 50% for 1 s, actual 100.00% for 1 s");
            assertThat(c.requiredValue()).isEqualTo(new Quantity(50, Comparison.Unit.PERCENT));
            assertThat(c.actualValue()).isEqualTo(new Quantity(100, Comparison.Unit.PERCENT));
        });
        assertThat(environment.calls()).extracting(FakeEnvironment.Call::what).containsExactly("pause inference-stub", "resume inference-stub");
        assertThat(environment.calls().get(1).secondsAfter(loadStart())).as("undone when the guard fired, before the fault phase's end")
                .isLessThan(6.0);
        assertThat(RollbackJournal.pending(journals)).isEmpty();
    }

    @Test
    void aFaultThatFailsHalfWayIsAnErrorAndWhatItJournaledIsUndone() {
        environment.failOn("start auth-service");

        RunResult result = run(experiment("""
                faults:
                  - { target: auth-service, restart: {} }
                hypotheses:
                  - { name: api-ok, route: api, during: [fault], success-rate: ">= 99%" }
                """), (route, second) -> FakeLoad.Result.FINE);

        assertThat(result.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(result.reasons()).anySatisfy(r -> assertThat(r).contains("start auth-service failed on purpose"));
        assertThat(environment.calls()).as("killed, its start failed, and the journaled stop was undone: started again")
                .extracting(FakeEnvironment.Call::what).containsExactly("kill auth-service", "start auth-service");
        assertThat(result.faults()).singleElement().satisfies(f -> assertThat(f.error()).contains("failed on purpose"));
        assertThat(RollbackJournal.pending(journals)).isEmpty();
    }

    @Test
    void aFaultWhoseCapabilityTheEnvironmentLacksIsAnErrorNamingBoth() {
        RunResult result = run(experiment("""
                faults:
                  - { target: gateway->auth-service, latency: { delay: 1s } }
                hypotheses:
                  - { name: api-ok, route: api, during: [fault], success-rate: ">= 99%" }
                """), (route, second) -> FakeLoad.Result.FINE);

        assertThat(result.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(result.reasons()).anySatisfy(r -> assertThat(r)
                .contains("latency on gateway->auth-service needs a fault proxy (the Toxiproxy API on every hop), which the fake environment does not offer"));
        assertThat(environment.calls()).isEmpty();
    }

    @Test
    void aFaultThatReachedNoTrafficIsInconclusive() {
        RunResult result = run(experiment("""
                faults:
                  - { target: inference-stub, pause: {} }
                hypotheses:
                  - { name: api-ok, route: api, during: [fault], success-rate: ">= 99%" }
                """), (route, second) -> FakeLoad.Result.FINE);

        assertThat(result.verdict()).as("nothing changed on any route, and no counter says the fault was felt")
                .isEqualTo(Verdict.INCONCLUSIVE);
    }
}
