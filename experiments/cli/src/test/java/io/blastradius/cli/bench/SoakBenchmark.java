package io.blastradius.cli.bench;

import io.blastradius.engine.faults.Fault;
import io.blastradius.engine.faults.Faults;
import io.blastradius.engine.load.LoadGenerator;
import io.blastradius.engine.load.LoadPlan;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.environment.Change;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Route;
import io.blastradius.experiment.Service;
import io.blastradius.replica.LocalEnvironment;
import io.blastradius.replica.LocalReplica;
import io.blastradius.replica.ReplicaOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The replica under the catalog's mixed load for a long time (30 minutes unless {@code -Dminutes}), with faults
 * coming and going: each minute, a fault from its 10th to its 30th second, in turn a latency on auth's hop, half the
 * logins answered 503 by that hop, Chaos Monkey exceptions in auth-service, session-cache frozen, and resets on the
 * session-cache → Redis hop. Every 10 s it samples, per process (Redis, the four JVMs, and this JVM, which holds the
 * fault proxy and the generator), the resident memory, open file descriptors and threads, and the keys in Redis.
 * It reports each curve's first, last and highest value, and the failed requests outside the fault windows (a window
 * counts until 15 s after its fault was removed, for breakers to close). Samples go to
 * {@code experiments/cli/target/soak.csv}, the table to {@code soak.md}.
 *
 * <p>A measurement, not a test: it asserts nothing. Run it with {@code bench/soak.sh [minutes]}.
 */
class SoakBenchmark {

    static final Path HOME = CapacityBenchmark.HOME;
    /** A fault window counts for errors until this long after the fault was removed. */
    static final int SETTLE_SECONDS = 15;

    record Sample(int second, Map<String, long[]> processes, long redisKeys) {
    }

    record FaultStep(String type, Service service, String hop, Map<String, Object> parameters) {
        Experiment.FaultSpec spec() {
            return new Experiment.FaultSpec(type, hop != null ? hop : service.wireName(), parameters, Duration.ZERO, null,
                    "http".equals(type) ? "upstream" : "downstream", 1.0);
        }

        String label() {
            return type + " on " + (hop != null ? hop : service.wireName());
        }
    }

    static final List<FaultStep> FAULTS = List.of(
            new FaultStep("latency", null, "gateway->auth-service", Map.of("delay", "500ms")),
            new FaultStep("http", null, "gateway->auth-service", Map.of("status", 503, "percent", 50, "method", "POST", "path", "/auth/login")),
            new FaultStep("app-exception", Service.AUTH_SERVICE, null, Map.of("level", 2)),
            new FaultStep("pause", Service.SESSION_CACHE, null, Map.of()),
            new FaultStep("reset", null, "session-cache->redis", Map.of("after", "0ms")));

    @Test
    void soak() throws Exception {
        int minutes = Integer.getInteger("minutes", 30);
        int seconds = minutes * 60;
        Path runDir = HOME.resolve("experiments/cli/target/soak-" + RunIds.next());
        try (LocalReplica replica = LocalReplica.start(ReplicaOptions.custom(HOME).runDir(runDir).seed(7).build())) {
            LocalEnvironment environment = new LocalEnvironment(replica);
            LoadGenerator generator = CapacityBenchmark.generator(replica.info());
            LoadPlan plan = new LoadPlan(List.of(new LoadPlan.Window(Duration.ZERO, Duration.ofSeconds(seconds),
                    Map.of(Route.API, 50.0, Route.APP, 10.0, Route.LOGIN, 3.0, Route.LOGOUT, 0.2))), 20, 7);
            generator.prepare(plan, io.blastradius.engine.load.Load.Sessions.NONE);
            List<Sample> samples = new ArrayList<>();
            // what the launcher keeps, which its RSS hides (a JVM's heap, once grown, stays): after a full GC, each minute
            List<Long> liveHeap = new ArrayList<>();
            List<int[]> windows = new ArrayList<>();
            List<String> applied = new ArrayList<>();
            generator.start(plan);
            long start = generator.startNanos();
            int step = 0;
            List<Change> journal = new ArrayList<>();
            Fault.Applied current = null;
            int appliedAt = 0;
            for (int second = 0; second <= seconds; second++) {
                sleepUntil(start + second * 1_000_000_000L);
                int inMinute = second % 60;
                if (inMinute == 10 && current == null && second + 20 < seconds) {
                    FaultStep fault = FAULTS.get(step++ % FAULTS.size());
                    current = Faults.byType(fault.type()).apply(fault.spec(), new Fault.Context(environment, "soak-" + step, journal::add));
                    appliedAt = second;
                    applied.add(second + " s " + fault.label());
                } else if (inMinute == 30 && current != null) {
                    List<Change> changes = new ArrayList<>(current.changes());
                    Collections.reverse(changes);
                    changes.forEach(change -> change.undo(environment));
                    windows.add(new int[] {appliedAt, second + SETTLE_SECONDS});
                    current = null;
                }
                if (second % 10 == 0) {
                    samples.add(sample(second, replica));
                }
                if (second % 60 == 0) {
                    liveHeap.add(liveHeapMib());
                }
            }
            generator.awaitEnd(Duration.ofSeconds(15));
            generator.close();
            report(minutes, samples, liveHeap, windows, applied, generator);
        }
    }

    static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    static Sample sample(int second, LocalReplica replica) {
        Map<String, long[]> processes = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            processes.put(service.wireName(), process(replica.pidOf(service)));
        }
        processes.put("launcher (fault proxy and generator)", process(ProcessHandle.current().pid()));
        return new Sample(second, processes, replica.redisKeys());
    }

    /** RSS in KiB, open file descriptors, threads; -1 each for a process that is not there. */
    static long[] process(long pid) {
        long rss = -1;
        long threads = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1, -1};
        }
        long fds;
        try (Stream<Path> open = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = open.count();
        } catch (IOException e) {
            fds = -1;
        }
        return new long[] {rss, fds, threads};
    }

    /** The launcher's heap in use right after a full collection: what it keeps. */
    static long liveHeapMib() {
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    static void report(int minutes, List<Sample> samples, List<Long> liveHeap, List<int[]> windows, List<String> applied,
                       LoadGenerator generator) throws IOException {
        StringBuilder csv = new StringBuilder("second,process,rss_kib,fds,threads\n");
        for (Sample s : samples) {
            s.processes().forEach((name, v) -> csv.append(s.second()).append(',').append(name).append(',').append(v[0]).append(',')
                    .append(v[1]).append(',').append(v[2]).append('\n'));
            csv.append(s.second()).append(",redis keys,").append(s.redisKeys()).append(",,\n");
        }
        Path out = HOME.resolve("experiments/cli/target/soak.csv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, csv);

        StringBuilder md = new StringBuilder("## Soak: " + minutes + " min, " + applied.size() + " faults, samples every 10 s\n\n");
        md.append("| process | RSS MiB first → last (max) | fds first → last (max) | threads first → last (max) |\n|---|---|---|---|\n");
        for (String name : samples.get(0).processes().keySet()) {
            md.append("| ").append(name);
            for (int i = 0; i < 3; i++) {
                int metric = i;
                long first = samples.get(0).processes().get(name)[metric];
                long last = samples.get(samples.size() - 1).processes().get(name)[metric];
                long max = samples.stream().mapToLong(s -> s.processes().get(name)[metric]).max().orElse(-1);
                md.append(" | ").append(metric == 0 ? mib(first) + " → " + mib(last) + " (" + mib(max) + ")" : first + " → " + last + " (" + max + ")");
            }
            md.append(" |\n");
        }
        long keysFirst = samples.get(0).redisKeys();
        long keysLast = samples.get(samples.size() - 1).redisKeys();
        long keysMax = samples.stream().mapToLong(Sample::redisKeys).max().orElse(-1);
        md.append("| Redis keys | ").append(keysFirst).append(" → ").append(keysLast).append(" (").append(keysMax).append(") | | |\n\n");
        md.append("Launcher heap after a full GC, each minute (MiB): ").append(String.join(" → ", liveHeap.stream().map(String::valueOf).toList()))
                .append(".\n\n");

        md.append("| route | requests | failed outside the fault windows | failed inside them |\n|---|---|---|---|\n");
        List<String> where = new ArrayList<>();
        for (Route route : Route.values()) {
            RouteSeries series = generator.series(route);
            long total = 0;
            Map<Outcome, Long> outside = new EnumMap<>(Outcome.class);
            long inside = 0;
            for (SecondStats s : series.seconds()) {
                total += s.completed();
                boolean inWindow = windows.stream().anyMatch(w -> s.second() >= w[0] && s.second() < w[1]);
                for (Outcome outcome : Outcome.values()) {
                    if (outcome != Outcome.SUCCESS && s.count(outcome) > 0) {
                        if (inWindow) {
                            inside += s.count(outcome);
                        } else {
                            outside.merge(outcome, s.count(outcome), Long::sum);
                            where.add(route.wireName() + " " + s.second() + " s: " + s.count(outcome) + " " + outcome.name().toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            md.append("| ").append(route.wireName()).append(" | ").append(total).append(" | ")
                    .append(outside.isEmpty() ? "0" : outside.toString().toLowerCase(Locale.ROOT)).append(" | ").append(inside).append(" |\n");
        }
        if (!where.isEmpty()) {
            md.append("\nOutside the windows: ").append(String.join("; ", where.subList(0, Math.min(20, where.size()))))
                    .append(where.size() > 20 ? "; ..." : "").append(".\n");
        }
        md.append("\nGenerator lateness p99: ").append(generator.lag().getValueAtPercentile(99) / 1000.0).append(" ms. Faults: ")
                .append(String.join("; ", applied)).append(".\n");
        System.out.println(md);
        Files.writeString(HOME.resolve("experiments/cli/target/soak.md"), md);
    }

    static String mib(long kib) {
        return kib < 0 ? "–" : String.format(Locale.ROOT, "%.0f", kib / 1024.0);
    }
}
