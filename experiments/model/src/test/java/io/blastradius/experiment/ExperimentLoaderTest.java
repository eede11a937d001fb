package io.blastradius.experiment;

import io.blastradius.experiment.Experiment.Expectation;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.InvalidExperimentException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ExperimentLoaderTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures/invalid");
    final ExperimentLoader loader = new ExperimentLoader();

    @Test
    void theCatalogExperimentLoadsIntoItsModel() {
        Experiment experiment = loader.load(Path.of("../catalog/auth-latency.yaml"));

        assertThat(experiment.metadata().name()).isEqualTo("auth-latency");
        assertThat(experiment.replica().profile()).isEqualTo("decoupled");
        assertThat(experiment.phases()).containsEntry(Phase.WARMUP, Duration.ofSeconds(5)).containsEntry(Phase.FAULT, Duration.ofSeconds(15));
        assertThat(experiment.traffic()).extracting(t -> t.route()).containsExactly(Route.API, Route.APP, Route.LOGIN, Route.LOGOUT);
        assertThat(experiment.traffic().get(0).rate(Phase.FAULT)).isEqualTo(50.0);
        assertThat(experiment.faults()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo("latency");
            assertThat(f.target()).isEqualTo("gateway->auth-service");
            assertThat(f.parameters()).containsEntry("delay", "2s").containsEntry("jitter", "100ms");
            assertThat(f.at()).isZero();
            assertThat(f.duration()).isNull();
        });
        assertThat(experiment.hypotheses().get(0).criteria()).extracting(c -> c.metric()).containsExactly("success-rate", "p99");
        assertThat(experiment.hypotheses().get(0).criteria().get(1).required()).isEqualTo("≤ 250 ms");
        assertThat(experiment.hypotheses().get(0).criteria().get(1)).isEqualTo(new Criterion.Latency(Percentile.P99, Comparison.parse("<= 250ms")));
        assertThat(experiment.hypotheses().get(4).criteria().get(0).metric()).isEqualTo("recovers-within");
        assertThat(experiment.hypotheses().get(4).criteria().get(0).requiredValue()).isEqualTo(new Quantity(10_000, Comparison.Unit.MILLISECONDS));
        assertThat(experiment.abort()).singleElement().satisfies(a -> assertThat(a.sustained()).isEqualTo(Duration.ofSeconds(2)));
        assertThat(experiment.expect()).isEqualTo(Expectation.PASS);
    }

    @Test
    void perPhaseRatesLeaveOtherPhasesQuietAndWarmupFollowsBaseline() {
        Experiment experiment = loader.load(Path.of("x.yaml"), """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: surge, title: A login surge }
                traffic:
                  - { route: login, rate: { baseline: 5/s, fault: 200/s } }
                  - { route: api, rate: 120/m }
                phases: { baseline: 5s, fault: 10s, recovery: 5s }
                hypotheses:
                  - { name: api-ok, route: api, during: [fault], error-rate: "< 1%" }
                expect: deviation
                seed: 42
                """);
        Experiment.Traffic login = experiment.traffic().get(0);
        assertThat(login.rate(Phase.WARMUP)).isEqualTo(5.0);
        assertThat(login.rate(Phase.FAULT)).isEqualTo(200.0);
        assertThat(login.rate(Phase.RECOVERY)).isZero();
        assertThat(experiment.traffic().get(1).rate(Phase.BASELINE)).isEqualTo(2.0);
        assertThat(experiment.phases()).containsEntry(Phase.WARMUP, Duration.ZERO);
        assertThat(experiment.expect()).isEqualTo(Expectation.DEVIATION);
        assertThat(experiment.seed()).isEqualTo(42L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "unknown-key.yaml                 | 5  | 3  | unknown key 'owner' in 'metadata'; allowed here: name, title, description, tags",
            "unknown-route.yaml               | 7  | 14 | 'traffic.0.route' must be one of api, app, login, logout, but was 'checkout'",
            "unknown-target.yaml              | 10 | 15 | a latency fault targets a hop: one of gateway->auth-service, gateway->inference-stub, auth-service->session-cache, session-cache->redis, but was 'gateway->billing'",
            "unknown-fault-type.yaml          | 10 | 38 | unknown key 'jam' in 'faults.0'; allowed here: target, at, for, stream, toxicity, latency,",
            "bad-duration.yaml                | 8  | 21 | 'phases.baseline' must be a duration like 500ms, 2s or 1m, but was '5 seconds'",
            "bad-rate.yaml                    | 7  | 25 | 'traffic.0.rate' must be a rate like 200/s, or a rate per phase like { baseline: 5/s, fault: 100/s }, but was '50 per second'",
            "bad-comparison.yaml              | 12 | 55 | 'hypotheses.0.p99' must be a comparison with a latency like '<= 150ms' or '< 2s', but was 'fast'",
            "duplicate-key.yaml               | 6  | 3  | key 'title' appears twice in 'metadata'; keep one",
            "broken-yaml.yaml                 | 9  | 7  | not valid YAML: expected ',' or '}', but got :",
            "fault-outside-phase.yaml         | 10 | 75 | at + for ends after the fault phase (10s); faults are undone when it ends",
            "hypothesis-without-traffic.yaml  | 12 | 28 | route 'login' gets no traffic; add it under 'traffic' or judge another route",
            "process-fault-on-a-hop.yaml      | 10 | 15 | a crash fault targets a process: one of session-cache, auth-service, inference-stub, gateway, redis, but was 'gateway->auth-service'",
            "duplicate-hypothesis-name.yaml   | 13 | 13 | hypothesis name 'api-ok' is used twice; names must be unique",
            "missing-title.yaml               | 4  | 3  | 'metadata' is missing the required key 'title'",
            "hypothesis-without-criterion.yaml| 12 | 5  | 'hypotheses.0' needs at least one criterion (success-rate, error-rate, logged-out, p50, p95, p99, max,",
            "negative-bandwidth.yaml          | 10 | 57 | 'faults.0.bandwidth.rate' must be ≥ 0, but was -5",
            "duplicate-traffic-route.yaml     | 8  | 14 | route 'api' has traffic twice; give it one entry, with a rate per phase if needed",
            "app-fault-on-gateway.yaml        | 10 | 15 | an app-latency fault targets a service with Chaos Monkey: one of session-cache, auth-service, inference-stub, but was 'gateway'",
            "stream-on-a-process-fault.yaml   | 10 | 5  | 'stream' and 'toxicity' apply to network faults only, not to crash",
            "http-without-status-or-delay.yaml | 10 | 44 | an http fault needs a status to answer or a delay to add (or both)",
            "http-on-the-downstream-stream.yaml | 10 | 69 | an http fault acts on the requests a hop carries: its stream is upstream (leave it out)",
            "users-on-the-api-route.yaml      | 7  | 38 | 'users' applies to the app route (whose requests carry their sessions), not to api",
            "too-many-users.yaml              | 7  | 38 | '5000' is out of range: the app route's users (each logged in beforehand) may be from 1 to 1000",
            "redis-setting-not-taken.yaml     | 8  | 14 | unknown key 'dir' in 'replica.properties.redis'; allowed here: appendonly, appendfsync, save",
            "app-cpu-load-too-high.yaml       | 10 | 46 | 'faults.0.app-cpu.load' must be ≤ 1, but was 1.5",
            "app-latency-min-above-max.yaml   | 10 | 49 | app-latency min must not be above max",
            "overlapping-app-faults.yaml      | 11 | 5  | this app-exception fault overlaps faults.0 (app-latency from 5s to 15s of the fault phase): the Chaos Monkey of auth-service takes one such fault at a time",
            "overlapping-process-faults.yaml  | 11 | 5  | this app-kill fault overlaps faults.0 (crash from 0s to 20s of the fault phase): the process session-cache takes one such fault at a time",
            "warmup-judged.yaml               | 10 | 41 | warmup is not judged: hypotheses may cover baseline, fault and recovery",
            "ratio-against-itself.yaml        | 10 | 41 | a '-vs-baseline' ratio compares a phase with the baseline; remove baseline from 'during'",
            "recovers-within-outside-recovery.yaml | 10 | 43 | 'recovers-within' is judged in the recovery phase only: use during: [recovery]",
            "recovers-within-longer-than-recovery.yaml | 10 | 72 | 'recovers-within' is longer than the recovery phase (5s)",
            "huge-rate.yaml                   | 7  | 25 | '99999999999999999999999/s' is out of range: a route's rate (the most the load generator is measured to hold) may be from 0/s to 4000/s",
            "huge-phase.yaml                  | 8  | 21 | '99999999999999999999s' is out of range: a phase may be from 0s to 60m",
            "phases-too-long.yaml             | 8  | 1  | the phases last 150 min together; an experiment may last at most 120 min (split it into several)",
            "percent-above-100.yaml           | 10 | 64 | '>= 150%' is out of range: a percentage may be from 0% to 100%",
            "huge-latency-toxic.yaml          | 10 | 56 | '99999999999999999999999ms' is out of range: a fault's time may be from 0s to 60m",
            "huge-limit-data.yaml             | 10 | 59 | '123456789012345678901234567890' is out of range: the bytes a connection may carry may be from 0 to 1099511627776",
            "huge-ratio.yaml                  | 10 | 67 | '<= 5000x' is out of range: a ratio to the baseline may be from 0x to 1000x",
            "too-many-faults.yaml             | 10 | 3  | 'faults' may have at most 20 item(s), but has 21",
            "title-too-long.yaml              | 5  | 10 | 'metadata.title' may be at most 200 characters long, but is 201",
            "huge-seed.yaml                   | 11 | 7  | '99999999999999999999' is out of range: a seed may be from -9223372036854775808 to 9223372036854775807"})
    void eachDefectIsReportedWithItsPlaceAndWhatIsAllowed(String fixture, int line, int column, String message) {
        InvalidExperimentException e = catchThrowableOfType(InvalidExperimentException.class,
                () -> loader.load(FIXTURES.resolve(fixture)));

        assertThat(e).as(fixture + " must be refused").isNotNull();
        Problem problem = e.problems().get(0);
        assertThat(problem.message()).startsWith(message);
        assertThat(problem.line()).as("line").isEqualTo(line);
        assertThat(problem.column()).as("column").isEqualTo(column);
        assertThat(problem.file()).endsWith(fixture);
        assertThat(e.getMessage()).contains(fixture + ":" + line + ":" + column + ": ");
        assertThat(problem.snippet()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not-utf8.yaml | 6 | 20 | not UTF-8 text: the byte 0xe9 at offset 108 is not valid UTF-8 (save the file as UTF-8)",
            "binary.yaml   | 7 | 31 | a binary file, not text: a NUL byte at offset 128"})
    void bytesThatAreNotUtf8TextAreNamedWithTheOffsetOfTheFirstBadOne(String fixture, int line, int column, String message) {
        InvalidExperimentException e = catchThrowableOfType(InvalidExperimentException.class, () -> loader.load(FIXTURES.resolve(fixture)));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).isEqualTo(message);
            assertThat(p.line()).as("line").isEqualTo(line);
            assertThat(p.column()).as("column").isEqualTo(column);
        });
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeAByteOfItIsParsed(@TempDir Path dir) throws Exception {
        // 20 MB: one title line that, parsed, took a minute
        Path huge = dir.resolve("huge.yaml");
        try (var out = Files.newBufferedWriter(huge)) {
            out.write("apiVersion: blastradius/v1\nkind: Experiment\nmetadata: { name: huge, title: \"");
            out.write("x".repeat(20 * 1024 * 1024));
            out.write("\" }\n");
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long began = threads.getCurrentThreadCpuTime();
        InvalidExperimentException e = catchThrowableOfType(InvalidExperimentException.class, () -> loader.load(huge));
        long workNanos = threads.getCurrentThreadCpuTime() - began;

        assertThat(e.problems()).singleElement().extracting(Problem::message)
                .isEqualTo("the file is 20,971,600 bytes; an experiment file may be at most 262,144 bytes (is it the right file?)");
        assertThat(workNanos).as("CPU time of the refusal, ns (a parse took a minute)").isLessThan(1_000_000_000L);
        // the same text sent as a body (the console) is refused by its size alike
        String text = Files.readString(huge);
        assertThat(catchThrowableOfType(InvalidExperimentException.class, () -> loader.load(Path.of("body.yaml"), text)).problems())
                .singleElement().extracting(Problem::message).asString().startsWith("the file is 20,971,600 bytes; an experiment may be at most 262,144 bytes");
    }

    @Test
    void aNumberAtTheEdgeOfItsRangeIsAccepted() {
        Experiment experiment = loader.load(Path.of("edge.yaml"), """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: edge, title: Edges }
                traffic: [ { route: api, rate: 4000/s } ]
                phases: { baseline: 60m, fault: 30m, recovery: 30m }
                hypotheses: [ { name: h, route: api, during: [fault], success-rate: ">= 100%", p99-vs-baseline: "<= 1000x" } ]
                seed: -9223372036854775808
                """);
        assertThat(experiment.traffic().get(0).rate(Phase.BASELINE)).isEqualTo(4000.0);
        assertThat(experiment.seed()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void faultsThatHoldTheSameThingMayFollowEachOtherOrRunBesideFaultsOnOtherThings() {
        // the control for the overlap fixtures: one window ending where the next begins is no overlap, and a
        // toxic, another service's monkey or another process may share a window
        Experiment experiment = loader.load(Path.of("sequence.yaml"), """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: sequence, title: One after another }
                traffic: [ { route: api, rate: 50/s } ]
                phases: { baseline: 5s, fault: 30s, recovery: 5s }
                faults:
                  - { target: auth-service, for: 10s, app-latency: { min: 100ms, max: 200ms } }
                  - { target: auth-service, at: 10s, for: 10s, app-exception: { level: 2 } }
                  - { target: auth-service, at: 20s, app-kill: {} }
                  - { target: session-cache, app-cpu: { load: 0.5 } }
                  - { target: session-cache, at: 5s, for: 5s, pause: {} }
                  - { target: gateway->auth-service, down: {}, for: 15s }
                  - { target: gateway->auth-service, latency: { delay: 100ms } }
                hypotheses: [ { name: h, route: api, during: [fault], success-rate: ">= 99%" } ]
                """);
        assertThat(experiment.faults()).extracting(FaultSpec::type)
                .containsExactly("app-latency", "app-exception", "app-kill", "app-cpu", "pause", "down", "latency");
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        InvalidExperimentException e = catchThrowableOfType(InvalidExperimentException.class, () -> loader.load(Path.of("x.yaml"), """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: Bad_Name, title: t }
                traffic: [ { route: api, rate: fast } ]
                phases: { baseline: 1s, fault: soon, recovery: 1s }
                hypotheses: [ { name: h, route: api, during: [fault], p99: "<= 1s" } ]
                """));

        assertThat(e.problems()).extracting(Problem::message).containsExactly(
                "'metadata.name' must be a name of lower-case letters, digits and dashes (like auth-latency), but was 'Bad_Name'",
                "'phases.fault' must be a duration like 500ms, 2s or 1m, but was 'soon'",
                "'traffic.0.rate' must be a rate like 200/s, or a rate per phase like { baseline: 5/s, fault: 100/s }, but was 'fast'");
    }

    @Test
    void aMissingFileIsAProblemToo() {
        InvalidExperimentException e = catchThrowableOfType(InvalidExperimentException.class,
                () -> loader.load(Path.of("no/such/experiment.yaml")));
        assertThat(e.problems().get(0).message()).startsWith("cannot read the file");
    }
}
