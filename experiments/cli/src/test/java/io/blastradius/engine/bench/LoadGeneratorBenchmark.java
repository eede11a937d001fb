package io.blastradius.engine.bench;

import io.blastradius.replica.Signals;
import io.blastradius.engine.load.LoadGenerator;
import io.blastradius.environment.Endpoints;
import io.blastradius.engine.load.LoadPlan;
import io.blastradius.experiment.Outcome;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Route;
import io.blastradius.replica.LocalReplica;
import io.blastradius.replica.ReplicaInfo;
import io.blastradius.replica.ReplicaOptions;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.Service;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load generator against the running replica: the highest api rate it holds within 1% (all
 * requests sent on time and answered), and how a 2 s stall of the inference stub (SIGSTOP) shows in
 * the measured p99. Not part of {@code verify}; run it with
 *
 * <pre>./mvnw -q -pl experiments/cli -am verify -DskipTests=false -Dtest=LoadGeneratorBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false</pre>
 *
 * It prints a Markdown report and writes it to {@code experiments/cli/target/load-benchmark.md}.
 */
class LoadGeneratorBenchmark {

    static final Path HOME = Path.of(System.getProperty("blastradius.home", "..")).toAbsolutePath().normalize();
    static final int SECONDS = 8;

    @Test
    void ratesAndAStall() throws Exception {
        StringBuilder report = new StringBuilder();
        try (LocalReplica replica = LocalReplica.start(ReplicaOptions.custom(HOME)
                .runDir(HOME.resolve("experiments/cli/target/bench-" + RunIds.next())).build())) {
            ReplicaInfo info = replica.info();
            report.append("## Open-model rate held on the api route (replica running on the same 2 cores), ")
                    .append(SECONDS).append(" s per rate after a 4 s warm-up\n\n")
                    .append("| target req/s | sent | sent/planned | answered 2xx | pacer lateness p99 ms | api p50 ms | api p99 ms |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            run(info, 300, 4);
            for (int rate : new int[] {250, 500, 1000, 1500, 2000, 3000}) {
                Result r = run(info, rate, SECONDS);
                report.append(String.format(Locale.ROOT, "| %d | %d | %.3f | %.3f | %.1f | %.1f | %.1f |%n", rate, r.sent,
                        r.sent / (double) (rate * SECONDS), r.ok / (double) Math.max(1, r.sent), r.lagP99 / 1000.0,
                        r.latency.getValueAtPercentile(50) / 1000.0, r.latency.getValueAtPercentile(99) / 1000.0));
            }

            report.append("\n## A 2 s stall of inference-stub (SIGSTOP, then SIGCONT) under 200 api req/s\n\n")
                    .append("| second | sent | 2xx | graceful 503 | other | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|\n");
            try (LoadGenerator generator = generator(info)) {
                generator.start(plan(200, 10));
                long stub = replica.pidOf(Service.INFERENCE_STUB);
                Thread.sleep(4_000);
                Signals.send(stub, Signals.Signal.STOP);
                Thread.sleep(2_000);
                Signals.send(stub, Signals.Signal.CONT);
                generator.awaitEnd(Duration.ofSeconds(15));
                for (SecondStats s : generator.series(Route.API).seconds()) {
                    Histogram h = s.latency();
                    report.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %.1f | %.1f | %.1f |%n", s.second(), s.sentCount(),
                            s.count(Outcome.SUCCESS), s.count(Outcome.GRACEFUL),
                            s.completed() - s.count(Outcome.SUCCESS) - s.count(Outcome.GRACEFUL),
                            h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0));
                }
            }
        }
        System.out.println(report);
        Path out = HOME.resolve("experiments/cli/target/load-benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    record Result(long sent, long ok, long lagP99, Histogram latency) {
    }

    static Result run(ReplicaInfo info, int rate, int seconds) throws InterruptedException {
        try (LoadGenerator generator = generator(info)) {
            generator.start(plan(rate, seconds));
            generator.awaitEnd(Duration.ofSeconds(20));
            RouteSeries api = generator.series(Route.API);
            long sent = api.seconds().stream().mapToLong(SecondStats::sentCount).sum();
            long ok = api.seconds().stream().mapToLong(s -> s.count(Outcome.SUCCESS)).sum();
            return new Result(sent, ok, generator.lag().getValueAtPercentile(99), api.latency(0, seconds));
        }
    }

    static LoadGenerator generator(ReplicaInfo info) {
        return new LoadGenerator(URI.create(info.gatewayUrl().toString()),
                new Endpoints.Credentials(info.demo().apiKey(), info.demo().username(), info.demo().password()), Duration.ofSeconds(10));
    }

    static LoadPlan plan(int rate, int seconds) {
        return new LoadPlan(List.of(new LoadPlan.Window(Duration.ZERO, Duration.ofSeconds(seconds), Map.of(Route.API, (double) rate))));
    }
}
