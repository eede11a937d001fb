package io.blastradius.engine;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.blastradius.environment.Capability;
import io.blastradius.replica.AttachEnvironmentProvider;
import io.blastradius.replica.AttachedEnvironment;
import io.blastradius.replica.LocalEnvironmentProvider;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.replica.LocalEnvironment;
import io.blastradius.replica.Signals;
import io.blastradius.replica.ReplicaHttp;
import io.blastradius.experiment.Service;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.replica.LocalReplica;
import io.blastradius.replica.ReplicaOptions;
import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.environment.RunIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Short real experiments on a real replica, each with its negative control: the decoupled design
 * passes auth latency, the coupled one fails when auth is down; latency on the inference path is seen by the api
 * hypothesis; an abort guard stops a run and leaves nothing applied.
 */
class ExperimentRunIT {

    static final Path HOME = Path.of(System.getProperty("blastradius.home", "..")).toAbsolutePath().normalize();
    static final Path WORK = HOME.resolve("experiments/cli/target/it-runs/experiments-" + RunIds.next());
    static LocalReplica replica;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(WORK);
        replica = LocalReplica.start(ReplicaOptions.custom(HOME).runDir(WORK.resolve("replica")).seed(11).build());
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    static final String TRAFFIC = """
            traffic:
              - { route: api,   rate: 30/s }
              - { route: app,   rate: 8/s }
              - { route: login, rate: 4/s }
            phases: { warmup: 2s, baseline: 4s, fault: 6s, recovery: 6s }
            """;

    static Experiment experiment(String name, String body) throws IOException {
        Path file = WORK.resolve(name + ".yaml");
        Files.writeString(file, "apiVersion: blastradius/v1\nkind: Experiment\nmetadata: { name: " + name + ", title: " + name + " }\n" + body);
        return new ExperimentLoader().load(file);
    }

    static RunResult run(Experiment experiment, Environment environment) {
        RollbackJournal journal = new RollbackJournal(WORK.resolve("rollback"), experiment.metadata().name(), environment.reattach());
        RunResult result = new Runner(environment, journal, new RunListener() { }).run(experiment, 5);
        Reports.write(result, WORK.resolve(experiment.metadata().name()));
        return result;
    }

    static final String AUTH_LATENCY = TRAFFIC + """
            faults:
              - { target: gateway->auth-service, latency: { delay: 1500ms } }
            hypotheses:
              - { name: api-unaffected, route: api, during: [baseline, fault, recovery], success-rate: ">= 99%", p99: "<= 1000ms" }
              - { name: login-fails-fast, route: login, during: [fault], p99: "<= 2500ms", failures: graceful }
            """;

    @Test
    void eachEnvironmentOffersWhatItsProviderDeclares() {
        assertThat(new LocalEnvironment(replica).capabilities()).isEqualTo(new LocalEnvironmentProvider().capabilities());
        assertThat(AttachedEnvironment.from(replica.replicaJson()).capabilities()).isEqualTo(new AttachEnvironmentProvider().capabilities())
                .doesNotContain(Capability.PROCESS_RESTART, Capability.RESET);
    }

    @Test
    void anAttachedReplicaRefusesSettingsItWasNotStartedWith() {
        Map<String, String> attach = Map.of("replica", replica.replicaJson().toString());
        AttachEnvironmentProvider provider = new AttachEnvironmentProvider();
        EnvironmentRequest coupled = new EnvironmentRequest(HOME, WORK, new Experiment.ReplicaSpec("coupled", Map.of()), 0, attach);
        assertThatThrownBy(() -> provider.open(coupled)).isInstanceOf(EnvironmentException.class).hasMessage("the attached replica runs"
                + " the decoupled profile and this experiment needs coupled: start one with 'blastradius up --profile coupled', or use --env local");
        EnvironmentRequest properties = new EnvironmentRequest(HOME, WORK, new Experiment.ReplicaSpec("decoupled",
                Map.of("gateway", Map.of("resilience4j.timelimiter.instances.auth.timeout-duration", "250ms"))), 0, attach);
        assertThatThrownBy(() -> provider.open(properties)).hasMessageStartingWith("the attached replica keeps the settings it was started with,"
                + " and this experiment sets {gateway={resilience4j.timelimiter.instances.auth.timeout-duration=250ms}}: use --env local");
        try (Environment same = provider.open(new EnvironmentRequest(HOME, WORK, Experiment.ReplicaSpec.DEFAULT, 0, attach))) {
            assertThat(same.endpoints()).isNotNull();
        }
    }

    @Test
    void authLatencyOnTheDecoupledReplicaPasses() throws IOException {
        RunResult result = run(experiment("auth-latency-decoupled", AUTH_LATENCY), AttachedEnvironment.from(replica.replicaJson()));

        assertThat(result.verdict()).as(String.join("\n", result.reasons())).isEqualTo(Verdict.PASSED);
        assertThat(result.gatePassed()).isTrue();
        assertThat(result.faults()).singleElement().satisfies(f -> {
            assertThat(f.connectionsAffected()).as("the fault proxy counted the fault reaching traffic").isPositive();
            assertThat(f.removedAt()).isNotNull();
        });
        assertThat(result.breakerChanges()).as("every breaker closed at the start, an auth breaker opened once the fault began")
                .contains(new RunResult.BreakerChange(0, "auth", "CLOSED"), new RunResult.BreakerChange(0, "auth-session", "CLOSED"))
                .anySatisfy(c -> {
                    assertThat(c.name()).startsWith("auth");
                    assertThat(c.state()).isEqualTo("OPEN");
                    assertThat(c.second()).isGreaterThanOrEqualTo(6);
                });
        assertThat(WORK.resolve("auth-latency-decoupled/journal.json")).exists();
        assertThat(Files.readString(WORK.resolve("auth-latency-decoupled/junit.xml")))
                .contains("api-unaffected [fault] p99").doesNotContain("<failure");
        assertThat(toxics()).as("nothing left applied").isEmpty();
    }

    /**
     * The fault proxy's http toxic picks one endpoint on a shared hop: logins answered 503 by the hop, while the app's
     * session lookups on the same hop pass; the toxic is gone after the run. Its control: the same hypothesis on login
     * fails (the fault reached it).
     */
    @Test
    void anHttpFaultBreaksOneEndpointOfAHopAndLeavesTheRestOfIt() throws IOException {
        Experiment experiment = experiment("login-http-errors", TRAFFIC + """
                faults:
                  - { target: gateway->auth-service, http: { status: 503, method: POST, path: /auth/login } }
                hypotheses:
                  - { name: app-unaffected, route: app, during: [fault], success-rate: ">= 99%" }
                  - { name: login-fails-gracefully, route: login, during: [fault], failures: graceful }
                  - { name: login-control, route: login, during: [fault], success-rate: ">= 50%" }
                """);
        RunResult result = run(experiment, new LocalEnvironment(replica));

        assertThat(result.checks()).filteredOn(c -> !c.hypothesis().equals("login-control")).allSatisfy(c -> assertThat(c.passed()).as(c.sentence()).isTrue());
        assertThat(result.checks()).filteredOn(c -> c.hypothesis().equals("login-control")).singleElement()
                .satisfies(c -> assertThat(c.passed()).as("every login was answered by the hop: " + c.sentence()).isFalse());
        assertThat(result.faults()).singleElement().satisfies(f -> assertThat(f.connectionsAffected()).as("requests hit").isPositive());
        assertThat(new LocalEnvironment(replica).faultProxy().orElseThrow().toxicNames("gateway-to-auth-service")).as("undone").isEmpty();
    }

    @Test
    void latencyOnTheInferencePathIsSeenByTheApiHypothesis() throws IOException {
        Experiment negativeControl = experiment("inference-latency", TRAFFIC + """
                faults:
                  - { target: gateway->inference-stub, latency: { delay: 600ms } }
                hypotheses:
                  - { name: api-unaffected, route: api, during: [fault], p99: "<= 300ms" }
                expect: deviation
                """);
        RunResult result = run(negativeControl, AttachedEnvironment.from(replica.replicaJson()));

        assertThat(result.verdict()).as(String.join("\n", result.reasons())).isEqualTo(Verdict.DEVIATED);
        assertThat(result.gatePassed()).as("a negative control passes when it deviates").isTrue();
        assertThat(result.checks()).anySatisfy(c -> {
            assertThat(c.passed()).isFalse();
            assertThat(c.sentence()).startsWith("p99 during fault: required ≤ 300 ms, actual ");
        });
        assertThat(Files.readString(WORK.resolve("inference-latency/junit.xml"))).contains("<failure message=\"p99 during fault: required ≤ 300 ms");
    }

    @Test
    void anAbortGuardStopsTheRunAndRollsEveryFaultBack() throws IOException {
        Experiment aborting = experiment("abort", TRAFFIC + """
                faults:
                  - { target: gateway->inference-stub, latency: { delay: 3s } }
                hypotheses:
                  - { name: api-ok, route: api, during: [fault], success-rate: ">= 99%" }
                abort:
                  - { route: api, error-rate: "> 50%", for: 2s }
                """);
        RunResult result = run(aborting, AttachedEnvironment.from(replica.replicaJson()));

        assertThat(result.verdict()).as(String.join("\n", result.reasons())).isEqualTo(Verdict.ABORTED);
        assertThat(result.gatePassed()).isFalse();
        assertThat(result.abortChecks()).anySatisfy(c -> assertThat(c.passed()).isFalse());
        assertThat(result.faults()).allSatisfy(f -> assertThat(f.removedAt()).isNotNull());
        assertThat(toxics()).isEmpty();
        assertThat(RollbackJournal.pending(WORK.resolve("rollback"))).isEmpty();
    }

    /**
     * The same auth fault, now on the coupled design (API keys checked by calling auth-service): the public
     * API must be seen to fail. Only a success rate is claimed, so the replica just started is judged
     * without the minute its JVMs take to warm (the catalog's coupled latency control runs with -Pchaos).
     */
    @Test
    void authDownOnTheCoupledReplicaDeviates() throws IOException {
        Experiment coupled = experiment("auth-down-coupled", """
                replica: { profile: coupled }
                traffic:
                  - { route: api,   rate: 30/s }
                phases: { warmup: 2s, baseline: 4s, fault: 6s, recovery: 4s }
                faults:
                  - { target: gateway->auth-service, down: {} }
                hypotheses:
                  - { name: api-unaffected, route: api, during: [baseline, fault], success-rate: ">= 99%" }
                """);
        assertThat(coupled.judgesSpeed()).as("a claim that waits for no warm-up").isFalse();
        LocalReplica own = LocalReplica.start(ReplicaOptions.custom(HOME).runDir(WORK.resolve("coupled-replica"))
                .profile(ReplicaProfile.COUPLED).seed(11).build());
        RunResult result;
        try (LocalEnvironment environment = new LocalEnvironment(own)) {
            result = run(coupled, environment);
        }
        assertThat(result.verdict()).as(String.join("\n", result.reasons())).isEqualTo(Verdict.DEVIATED);
        assertThat(result.checks()).filteredOn(c -> c.hypothesis().equals("api-unaffected"))
                .as("the api held before the fault and failed during it")
                .allSatisfy(c -> assertThat(c.passed()).isEqualTo(!c.phase().equals("fault")));
    }

    @Test
    void aRunnerKilledMidFaultLeavesAJournalThatRollbackUndoes() throws Exception {
        Path home = WORK.resolve("killed-home");
        Process runner = startRunner("killed", home);
        String java = ProcessHandle.current().info().command().orElse("java");
        String cli = HOME.resolve("experiments/cli/target/blastradius-cli.jar").toString();
        long stub = replica.info().services().get("inference-stub").pid();
        try {
            Path journals = RollbackJournal.directory(home);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!(RollbackJournal.pending(journals).size() == 1
                    && RollbackJournal.read(RollbackJournal.pending(journals).get(0)).entries().size() == 3 && Signals.isStopped(stub))) {
                assertThat(runner.isAlive()).as("the runner died early: " + Files.readString(WORK.resolve("killed.console"))).isTrue();
                assertThat(System.nanoTime()).as("faults applied in time").isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(monkeyEnabled()).isTrue();
        } finally {
            runner.destroyForcibly().waitFor();
        }
        assertThat(toxics()).as("a SIGKILLed runner leaves its toxic").isNotEmpty();
        assertThat(Signals.isStopped(stub)).as("and the paused process").isTrue();

        Process rollback = new ProcessBuilder(java, "-jar", cli, "rollback", "--home", home.toString()).redirectErrorStream(true).start();
        String report = new String(rollback.getInputStream().readAllBytes());
        assertThat(rollback.waitFor()).as(report).isZero();
        assertThat(report).contains("removed toxic").contains("disabled Chaos Monkey on session-cache").contains("continued paused inference-stub");
        assertThat(toxics()).isEmpty();
        assertThat(monkeyEnabled()).isFalse();
        assertThat(runningFreely(stub)).as("inference-stub alive and continued").isTrue();
        assertThat(RollbackJournal.pending(RollbackJournal.directory(home))).isEmpty();
    }

    @Test
    void sigtermStopsTheRunnerAfterRollingEveryFaultBack() throws Exception {
        Path home = WORK.resolve("terminated-home");
        Process runner = startRunner("terminated", home);
        long stub = replica.info().services().get("inference-stub").pid();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Signals.isStopped(stub) || !monkeyEnabled() || toxics().isEmpty()) {
            assertThat(runner.isAlive()).as("the runner died early: " + Files.readString(WORK.resolve("terminated.console"))).isTrue();
            assertThat(System.nanoTime()).as("faults applied in time").isLessThan(deadline);
            Thread.sleep(200);
        }
        runner.destroy();
        assertThat(runner.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(runner.exitValue()).as(Files.readString(WORK.resolve("terminated.console"))).isEqualTo(Verdict.ABORTED.exitCode());
        assertThat(toxics()).isEmpty();
        assertThat(monkeyEnabled()).isFalse();
        assertThat(runningFreely(stub)).as("inference-stub alive and continued").isTrue();
        assertThat(RollbackJournal.pending(RollbackJournal.directory(home))).isEmpty();
        assertThat(Files.readString(WORK.resolve("terminated-out/terminated/journal.json"))).contains("\"verdict\" : \"ABORTED\"");
    }

    @Test
    void sigtermStopsASweepMidCellAfterRollingBackAndWritesTheCellsSoFar() throws Exception {
        Path home = WORK.resolve("swept-home");
        Process sweep = startCli("swept", "sweep", home, "--vary", "faults[0].latency.delay=300ms,400ms");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!monkeyEnabled() || toxics().isEmpty()) {
            assertThat(sweep.isAlive()).as("the sweep died early: " + Files.readString(WORK.resolve("swept.console"))).isTrue();
            assertThat(System.nanoTime()).as("faults applied in time").isLessThan(deadline);
            Thread.sleep(200);
        }
        sweep.destroy();
        assertThat(sweep.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String console = Files.readString(WORK.resolve("swept.console"));
        assertThat(sweep.exitValue()).as(console).isEqualTo(Verdict.ABORTED.exitCode());
        assertThat(console).contains("stopped by a signal after 1 of 2 cell(s)", "Breaking point of faults[0].latency.delay: unknown; at 300ms"
                + " the run ended ABORTED (" + Runner.STOPPED_BY_SIGNAL + ").");
        assertThat(toxics()).isEmpty();
        assertThat(monkeyEnabled()).isFalse();
        assertThat(RollbackJournal.pending(RollbackJournal.directory(home))).isEmpty();
        assertThat(Files.readAllLines(WORK.resolve("swept-out/sweep.csv"))).as("the first cell, and not the second").hasSize(2)
                .element(1).asString().startsWith("1,300ms,ABORTED,failed,");
        assertThat(WORK.resolve("swept-out/sweep.html")).isRegularFile();
    }

    @Test
    void runWithConsoleServesItsLivePageWhoseStopAbortsTheRun() throws Exception {
        Path home = WORK.resolve("watched-home");
        Process run = startCli("watched", "run", home, "--console");
        Path output = WORK.resolve("watched.console");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String url = null;
        while (url == null || toxics().isEmpty()) {
            assertThat(run.isAlive()).as("the run died early: " + Files.readString(output)).isTrue();
            assertThat(System.nanoTime()).as("the page and the faults in time").isLessThan(deadline);
            url = Files.readString(output).lines().filter(l -> l.startsWith("watch it live: ")).map(l -> l.split(" ")[3]).findFirst().orElse(null);
            Thread.sleep(200);
        }
        URI page = URI.create(url);
        String token = page.getQuery().substring("token=".length());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> state = http.send(HttpRequest.newBuilder(page.resolve("/api/state?token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(state.body()).contains("\"startsRuns\":false", "\"name\":\"watched\"");
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(page.resolve("/api/run")).header("X-Blastradius-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"experiments\":[\"watched\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).as(start.body()).isEqualTo(409);
        assertThat(start.body()).contains("watches a 'blastradius run' and starts nothing");

        HttpResponse<String> stop = http.send(HttpRequest.newBuilder(page.resolve("/api/stop")).header("X-Blastradius-Token", token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
        assertThat(toxics()).as("every fault undone when the stop answers").isEmpty();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(Files.readString(output)).isEqualTo(Verdict.ABORTED.exitCode());
        assertThat(monkeyEnabled()).isFalse();
        assertThat(Files.readString(WORK.resolve("watched-out/watched/journal.json"))).contains("\"verdict\" : \"ABORTED\"");
    }

    /**
     * What a suite does between experiments: whatever the last one left (a toxic, an assault, a paused
     * and a dead process, a live session) is undone, and the replica serves again.
     */
    @Test
    void aResetUndoesWhatAnExperimentLeftBehind() throws Exception {
        ReplicaHttp http = new ReplicaHttp(replica.info().gatewayUrl());
        String token = http.login(ReplicaOptions.DEMO_USER, ReplicaOptions.DEMO_PASSWORD).json().path("token").asString();
        assertThat(http.app(token).status()).as("the session works before the reset").isEqualTo(200);
        long validated = System.nanoTime();
        ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", replica.info().faultProxyUrl().getPort());
        client.getProxy("gateway-to-inference-stub").toxics().latency("left-behind", ToxicDirection.DOWNSTREAM, 500);
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(replica.info().services().get("session-cache").managementUrl()
                        .resolve("/actuator/chaosmonkey/enable")).header("Authorization", "Bearer " + replica.info().managementToken())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        long stub = replica.pidOf(Service.INFERENCE_STUB);
        Signals.send(stub, Signals.Signal.STOP);
        long auth = replica.pidOf(Service.AUTH_SERVICE);
        Signals.send(auth, Signals.Signal.KILL);
        ProcessHandle.of(auth).ifPresent(p -> p.onExit().join());
        assertThat(toxics()).isNotEmpty();
        assertThat(monkeyEnabled()).isTrue();

        List<String> mended = Suite.reset(new LocalEnvironment(replica));

        assertThat(mended).as("what the reset undid, links first, then processes (through the same undo a fault uses), then monkeys")
                .containsExactly("removed toxic left-behind from gateway-to-inference-stub", "continued paused inference-stub",
                        "restarted auth-service", "disabled Chaos Monkey on session-cache");
        assertThat(toxics()).isEmpty();
        assertThat(monkeyEnabled()).isFalse();
        assertThat(runningFreely(stub)).as("inference-stub alive and continued").isTrue();
        // the gateway trusts a session it has validated for 2 s (its session cache): past that, the reset shows
        long trusted = Duration.ofMillis(2_100).toNanos() - (System.nanoTime() - validated);
        if (trusted > 0) {
            Thread.sleep(trusted / 1_000_000);
        }
        // auth-service was just started again: a first call may outlast the gateway's time limit (503)
        ReplicaHttp.Reply gone = ReplicaHttp.pastA503(() -> http.app(token));
        assertThat(gone.status()).as("the session is gone: %s", gone.body()).isEqualTo(401);
        ReplicaHttp.Reply login = ReplicaHttp.pastA503(() -> http.login(ReplicaOptions.DEMO_USER, ReplicaOptions.DEMO_PASSWORD));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(http.app(login.json().path("token").asString()).status()).as("login, sessions and inference serve again").isEqualTo(200);
    }

    /**
     * Chaos Monkey's runtime assaults as faults, each seen in its service's own process: CPU burnt while it holds and
     * not after its undo, the heap filled, the application ended and started again by the undo.
     */
    @Test
    void runtimeAssaultsReachTheirServiceAndEndWithTheirWindow() throws Exception {
        LocalEnvironment environment = new LocalEnvironment(replica);
        List<io.blastradius.environment.Change> journaled = new ArrayList<>();
        io.blastradius.engine.faults.Fault.Context context = new io.blastradius.engine.faults.Fault.Context(environment, "br-runtime", journaled::add);

        long auth = replica.pidOf(Service.AUTH_SERVICE);
        double idle = cpuSecondsOver(auth, Duration.ofSeconds(2));
        var cpu = apply("app-cpu", Service.AUTH_SERVICE, Map.of("load", 0.5), context);
        Thread.sleep(1_000);
        double busy = cpuSecondsOver(auth, Duration.ofSeconds(2));
        undo(cpu, environment);
        // the assault's threads end when they next look at its flag: the CPU is read again until it falls, for at most 10 s
        double after = cpuSecondsOver(auth, Duration.ofSeconds(2));
        for (long until = System.nanoTime() + Duration.ofSeconds(10).toNanos(); after * 4 >= busy && System.nanoTime() < until; ) {
            after = cpuSecondsOver(auth, Duration.ofSeconds(2));
        }
        assertThat(busy).as("CPU seconds in 2 s under the assault (idle %.2f, after %.2f)", idle, after)
                .isGreaterThan(0.5).isGreaterThan(4 * Math.max(idle, after));

        long cache = replica.pidOf(Service.SESSION_CACHE);
        long rss = rssBytes(cache);
        var memory = apply("app-memory", Service.SESSION_CACHE, Map.of("fill", 0.7, "step", 0.5, "every", "200ms"), context);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (rssBytes(cache) < rss + 64L * 1024 * 1024 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long filled = rssBytes(cache);
        undo(memory, environment);
        assertThat(filled - rss).as("bytes taken by the memory assault").isGreaterThanOrEqualTo(64L * 1024 * 1024);

        ReplicaHttp http = new ReplicaHttp(replica.info().gatewayUrl());
        long stub = replica.pidOf(Service.INFERENCE_STUB);
        var kill = apply("app-kill", Service.INFERENCE_STUB, Map.of(), context);
        ProcessHandle.of(stub).orElseThrow().onExit().get(io.blastradius.environment.Change.ApplicationKilled.EXIT_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(http.api(ReplicaHttp.MESSAGE, ReplicaOptions.DEMO_API_KEY).status()).as("the api without its inference-stub").isNotEqualTo(200);
        undo(kill, environment);
        assertThat(replica.pidOf(Service.INFERENCE_STUB)).isNotEqualTo(stub);
        // the gateway's breaker on the stub may be open from the kill: it lets a call through after its wait
        assertThat(ReplicaHttp.pastA503(() -> http.api(ReplicaHttp.MESSAGE, ReplicaOptions.DEMO_API_KEY)).status()).as("started again by the undo").isEqualTo(200);
        assertThat(journaled).as("each change journaled before it was made").hasSize(4);
    }

    static io.blastradius.engine.faults.Fault.Applied apply(String type, Service service, Map<String, Object> parameters,
                                                          io.blastradius.engine.faults.Fault.Context context) {
        return io.blastradius.engine.faults.Faults.byType(type)
                .apply(new Experiment.FaultSpec(type, service.wireName(), parameters, Duration.ZERO, null, "downstream", 1.0), context);
    }

    static void undo(io.blastradius.engine.faults.Fault.Applied applied, Environment environment) {
        List<io.blastradius.environment.Change> changes = new ArrayList<>(applied.changes());
        java.util.Collections.reverse(changes);
        changes.forEach(change -> change.undo(environment));
    }

    /** The CPU time the process used over {@code span}, in seconds. */
    static double cpuSecondsOver(long pid, Duration span) throws InterruptedException {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        Duration before = process.info().totalCpuDuration().orElseThrow();
        Thread.sleep(span.toMillis());
        return (process.info().totalCpuDuration().orElseThrow().minus(before)).toMillis() / 1_000.0;
    }

    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /**
     * The CLI in its own process, attached to the shared replica, running an experiment whose long fault
     * phase applies a toxic, a Chaos Monkey assault and a pause; its rollback journals go under {@code home}.
     */
    static Process startRunner(String name, Path home) throws IOException {
        return startCli(name, "run", home);
    }

    /** The CLI's {@code run} or {@code sweep} (extra arguments after the file) in its own JVM, on the attached replica, with 60 s of faults. */
    static Process startCli(String name, String command, Path home, String... extra) throws IOException {
        Path file = WORK.resolve(name + ".yaml");
        Files.writeString(file, """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: NAME, title: The runner goes away mid-fault }
                traffic: [ { route: api, rate: 5/s } ]
                phases: { warmup: 1s, baseline: 2s, fault: 60s, recovery: 2s }
                faults:
                  - { target: gateway->auth-service, latency: { delay: 300ms } }
                  - { target: session-cache, app-latency: { min: 100ms, max: 200ms } }
                  - { target: inference-stub, pause: {} }
                hypotheses: [ { name: api-ok, route: api, during: [fault], success-rate: ">= 0%" } ]
                """.replace("NAME", name));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cli = new ArrayList<>(List.of(java, "-jar", HOME.resolve("experiments/cli/target/blastradius-cli.jar").toString(), command,
                "--env", "attach", "--replica", replica.replicaJson().toString(), "--home", home.toString(),
                "--out", WORK.resolve(name + "-out").toString(), file.toString()));
        cli.addAll(List.of(extra));
        return new ProcessBuilder(cli).redirectErrorStream(true).redirectOutput(WORK.resolve(name + ".console").toFile()).start();
    }

    /** Alive and not stopped by SIGSTOP. */
    static boolean runningFreely(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !Signals.isStopped(pid);
    }

    static boolean monkeyEnabled() throws Exception {
        URI endpoint = replica.info().services().get("session-cache").managementUrl().resolve("/actuator/chaosmonkey/status");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Bearer " + replica.info().managementToken()).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().contains("\"enabled\":true");
    }

    static List<String> toxics() throws IOException {
        ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", replica.info().faultProxyUrl().getPort());
        List<String> names = new ArrayList<>();
        for (Proxy proxy : client.getProxies()) {
            proxy.toxics().getAll().forEach(t -> names.add(proxy.getName() + "/" + t.getName()));
        }
        return names;
    }
}
