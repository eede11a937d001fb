package io.blastradius.cli.bench;

import io.blastradius.engine.load.LoadGenerator;
import io.blastradius.engine.load.LoadPlan;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.environment.Endpoints;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Route;
import io.blastradius.experiment.Service;
import io.blastradius.replica.LocalReplica;
import io.blastradius.replica.ReplicaInfo;
import io.blastradius.replica.ReplicaOptions;
import io.blastradius.replica.Signals;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replica's capacity curve on the api route: a warm replica (warmed at a moderate rate first, so that its
 * JITs have compiled the request path), then each rate in turn with the built-in generator, open model. Per
 * rate: sent/planned, the share answered 2xx, every other outcome class, p50/p99/p99.9 from each request's
 * intended send time, the generator's own lateness, and the CPU the replica's JVMs and this JVM (generator and
 * fault proxy) used. The knee is the highest rate before one of: sent/planned under 0.99, 2xx under 99.9 %,
 * lateness p99 over 100 ms (what makes a run INCONCLUSIVE), or p99 past 3 × the lowest rate's.
 *
 * <p>When {@code wrk} is on PATH, one closed-model wrk run (48 connections, 10 s) is cross-checked: the
 * generator is then run at the rate wrk reached and both latencies are printed side by side.
 *
 * <p>A measurement, not a test: it asserts nothing. Run it with {@code bench/capacity.sh} (options there).
 * A 2 s stall of the inference stub under load is the second measurement ({@code -Dtest=CapacityBenchmark#aStall}).
 */
class CapacityBenchmark {

    static final Path HOME = Path.of(System.getProperty("blastradius.home", "../..")).toAbsolutePath().normalize();
    static final double KNEE_LATENESS_MS = 100;

    @Test
    void capacityCurve() throws Exception {
        int[] rates = Arrays.stream(System.getProperty("rates", "250,500,1000,1500,2000,3000,4000").split(","))
                .mapToInt(r -> Integer.parseInt(r.trim())).toArray();
        int seconds = Integer.getInteger("seconds", 10);
        int warmSeconds = Integer.getInteger("warm", 30);
        StringBuilder report = new StringBuilder();
        try (LocalReplica replica = LocalReplica.start(ReplicaOptions.custom(HOME)
                .runDir(HOME.resolve("runs/bench-capacity-" + RunIds.next())).build())) {
            ReplicaInfo info = replica.info();
            String jvm = String.join(" ", ReplicaOptions.custom(HOME).build().jvmOptions());
            report.append("## Capacity of the api route: warm replica (").append(warmSeconds).append(" s at 300/s first), ")
                    .append(seconds).append(" s per rate, open model").append(jvm.isEmpty() ? "" : ", replica JVMs with " + jvm).append("\n\n")
                    .append("| rate/s | sent/planned | 2xx | graceful | HTTP error | timeout | conn. error | p50 ms | p99 ms | p99.9 ms "
                            + "| lateness p99 ms | replica CPU | generator CPU |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            run(replica, 300, warmSeconds);
            List<Result> results = new ArrayList<>();
            for (int rate : rates) {
                Thread.sleep(2_000); // the previous rate's answers drain
                Result r = run(replica, rate, seconds);
                results.add(r);
                report.append(r.row());
            }
            report.append("\n").append(knee(results)).append("\n");
            wrkCrossCheck(replica, report);
        }
        write(report, "capacity.md");
    }

    /** How a 2 s stall of a dependency shows: inference-stub SIGSTOPped for 2 s from second 4, under 200 api req/s. */
    @Test
    void aStall() throws Exception {
        StringBuilder report = new StringBuilder("## A 2 s stall of inference-stub (SIGSTOP, then SIGCONT) under 200 api req/s\n\n"
                + "| second | sent | 2xx | graceful 503 | other | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|\n");
        try (LocalReplica replica = LocalReplica.start(ReplicaOptions.custom(HOME)
                .runDir(HOME.resolve("runs/bench-stall-" + RunIds.next())).build())) {
            ReplicaInfo info = replica.info();
            run(replica, 300, 20);
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
        write(report, "stall.md");
    }

    record Result(int rate, int seconds, long sent, Map<Outcome, Long> outcomes, long completed, Histogram latency, long latenessP99Micros,
                  double replicaCpu, double generatorCpu) {

        double sentShare() {
            return sent / (double) (rate * (long) seconds);
        }

        double share(Outcome outcome) {
            return outcomes.getOrDefault(outcome, 0L) / (double) Math.max(1, completed);
        }

        double p99Ms() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }

        String row() {
            return String.format(Locale.ROOT, "| %d | %.3f | %.4f | %.4f | %.4f | %.4f | %.4f | %.1f | %.1f | %.1f | %.1f | %.0f %% | %.0f %% |%n",
                    rate, sentShare(), share(Outcome.SUCCESS), share(Outcome.GRACEFUL), share(Outcome.HTTP_ERROR), share(Outcome.TIMEOUT),
                    share(Outcome.CONNECTION_ERROR), latency.getValueAtPercentile(50) / 1000.0, p99Ms(),
                    latency.getValueAtPercentile(99.9) / 1000.0, latenessP99Micros / 1000.0, replicaCpu * 100, generatorCpu * 100);
        }

        /** Why this rate is past the knee, or null if it is not. */
        String pastKnee(double lowestP99Ms) {
            if (sentShare() < 0.99) {
                return String.format(Locale.ROOT, "sent/planned %.3f < 0.99", sentShare());
            }
            if (share(Outcome.SUCCESS) < 0.999) {
                return String.format(Locale.ROOT, "2xx %.4f < 0.999", share(Outcome.SUCCESS));
            }
            if (latenessP99Micros / 1000.0 > KNEE_LATENESS_MS) {
                return String.format(Locale.ROOT, "generator lateness p99 %.0f ms > %.0f ms", latenessP99Micros / 1000.0, KNEE_LATENESS_MS);
            }
            if (p99Ms() > 3 * lowestP99Ms) {
                return String.format(Locale.ROOT, "p99 %.1f ms > 3 × %.1f ms", p99Ms(), lowestP99Ms);
            }
            return null;
        }
    }

    static String knee(List<Result> results) {
        double lowest = results.get(0).p99Ms();
        Result held = null;
        for (Result r : results) {
            String why = r.pastKnee(lowest);
            if (why != null) {
                return (held == null ? "No rate held" : "The knee: " + held.rate + " req/s held") + "; at " + r.rate + " req/s " + why + ".";
            }
            held = r;
        }
        return "Every rate held (up to " + held.rate + " req/s): the knee is past the last rate tried.";
    }

    static Result run(LocalReplica replica, int rate, int seconds) throws InterruptedException {
        ReplicaInfo info = replica.info();
        double replicaBefore = replicaCpuSeconds(replica);
        double ownBefore = cpuSeconds(ProcessHandle.current());
        long began = System.nanoTime();
        try (LoadGenerator generator = generator(info)) {
            generator.start(plan(rate, seconds));
            generator.awaitEnd(Duration.ofSeconds(20));
            double wall = (System.nanoTime() - began) / 1e9;
            RouteSeries api = generator.series(Route.API);
            Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
            long sent = 0;
            long completed = 0;
            for (SecondStats s : api.seconds()) {
                sent += s.sentCount();
                completed += s.completed();
                for (Outcome o : Outcome.values()) {
                    outcomes.merge(o, (long) s.count(o), Long::sum);
                }
            }
            return new Result(rate, seconds, sent, outcomes, completed, api.latency(0, seconds), generator.lag().getValueAtPercentile(99),
                    (replicaCpuSeconds(replica) - replicaBefore) / wall, (cpuSeconds(ProcessHandle.current()) - ownBefore) / wall);
        }
    }

    static double replicaCpuSeconds(LocalReplica replica) {
        return Arrays.stream(Service.values()).filter(Service::isJvm)
                .mapToDouble(s -> ProcessHandle.of(replica.pidOf(s)).map(CapacityBenchmark::cpuSeconds).orElse(0.0)).sum();
    }

    static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** wrk, closed model, 48 connections for 10 s; then the generator at the rate wrk reached. */
    static void wrkCrossCheck(LocalReplica replica, StringBuilder report) throws IOException, InterruptedException {
        Path wrk = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":")).map(p -> Path.of(p, "wrk"))
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (wrk == null) {
            report.append("\nwrk is not on PATH: no cross-check (Debian: apt-get install wrk).\n");
            return;
        }
        ReplicaInfo info = replica.info();
        Path script = Files.createTempFile("blastradius-wrk", ".lua");
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = '" + Route.MESSAGE + "'\n"
                + "wrk.headers[\"content-type\"] = \"application/json\"\nwrk.headers[\"x-api-key\"] = \"" + info.demo().apiKey() + "\"\n");
        Process process = new ProcessBuilder(wrk.toString(), "-t1", "-c48", "-d10s", "--latency", "-s", script.toString(),
                info.gatewayUrl() + Route.API.path()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        Files.deleteIfExists(script);
        Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        Matcher p50 = Pattern.compile("50%\\s+([0-9.]+)(us|ms|s)").matcher(out);
        Matcher p99 = Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)").matcher(out);
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        if (!rps.find() || !p50.find() || !p99.find()) {
            report.append("\nwrk gave no figures:\n\n```\n").append(out).append("```\n");
            return;
        }
        int rate = (int) Math.round(Double.parseDouble(rps.group(1)));
        Thread.sleep(2_000);
        Result generator = run(replica, rate, 10);
        report.append("\n## Cross-check with wrk (closed model, 48 connections, 10 s), then the generator at wrk's rate\n\n")
                .append("| client | req/s | non-2xx | p50 ms | p99 ms |\n|---|---|---|---|---|\n")
                .append(String.format(Locale.ROOT, "| wrk -c48 | %d | %s | %.1f | %.1f |%n", rate, non2xx.find() ? non2xx.group(1) : "0",
                        millis(p50), millis(p99)))
                .append(String.format(Locale.ROOT, "| generator, open model | %.0f | %d | %.1f | %.1f |%n", generator.sent / 10.0,
                        generator.completed - generator.outcomes.getOrDefault(Outcome.SUCCESS, 0L),
                        generator.latency.getValueAtPercentile(50) / 1000.0, generator.p99Ms()))
                .append("\nwrk's closed model waits for each answer before the next request, so a slow answer lowers its rate "
                        + "instead of showing in its latency; the open model keeps sending on schedule.\n");
    }

    static double millis(Matcher m) {
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    static void write(StringBuilder report, String name) throws IOException {
        System.out.println(report);
        Path out = HOME.resolve("experiments/cli/target/" + name);
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    static LoadGenerator generator(ReplicaInfo info) {
        return new LoadGenerator(URI.create(info.gatewayUrl().toString()),
                new Endpoints.Credentials(info.demo().apiKey(), info.demo().username(), info.demo().password()), Duration.ofSeconds(10));
    }

    static LoadPlan plan(int rate, int seconds) {
        return new LoadPlan(List.of(new LoadPlan.Window(Duration.ZERO, Duration.ofSeconds(seconds), Map.of(Route.API, (double) rate))));
    }
}
