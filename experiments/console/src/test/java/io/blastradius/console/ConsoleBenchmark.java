package io.blastradius.console;

import com.sun.management.OperatingSystemMXBean;
import io.blastradius.engine.Suite;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.replica.LocalEnvironmentProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The console's own costs, on a real local replica, in one sitting: the time from the emergency stop to the
 * last fault undone (five runs, each stopped in its fault phase, as the page reports it), and this JVM's CPU
 * while the console idles and during a run, with no page and with three pages connected. Not part of verify:
 * {@code ./mvnw -o -pl experiments/console test -Dtest=ConsoleBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConsoleBenchmark {

    static final Path HOME = Path.of(System.getProperty("blastradius.home", "../..")).toAbsolutePath().normalize();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Test
    void stopLatencyAndCpu() throws Exception {
        Path work = HOME.resolve("experiments/console/target/bench-runs/console-" + RunIds.next());
        Files.createDirectories(work);
        Path stopped = experiment(work, "stopped", "60s");
        Path whole = experiment(work, "whole", "15s");
        try (Console console = Console.start(feed -> new Suite(new Suite.Settings(HOME, work.resolve("suite"), new LocalEnvironmentProvider(),
                        Map.of(), false, 3L), new PrintWriter(Writer.nullWriter()), feed),
                List.of(new ExperimentLoader().load(stopped), new ExperimentLoader().load(whole)), work.resolve("runs"), 0)) {
            String token = URI.create(console.url()).getQuery().substring("token=".length());
            BlockingQueue<String> rollbacks = new LinkedBlockingQueue<>();
            BlockingQueue<String> applied = new LinkedBlockingQueue<>();
            LiveFeed feed = (LiveFeed) console.listener();
            feed.events().filter(e -> e.contains("\"type\":\"rolledBack\"") && e.contains("millisSinceStop")).subscribe(rollbacks::add);
            feed.events().filter(e -> e.contains("\"type\":\"fault\"") && e.contains("applied latency")).subscribe(applied::add);
            applied.clear();

            List<Long> stops = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                post(console, token, "/api/run", "{\"experiments\":[\"stopped\"]}");
                if (applied.poll(5, TimeUnit.MINUTES) == null) {
                    throw new IllegalStateException("no fault in place in time");
                }
                post(console, token, "/api/stop", "");
                String event = rollbacks.poll(60, TimeUnit.SECONDS);
                stops.add(Long.parseLong(event.replaceAll(".*\"millisSinceStop\":(\\d+).*", "$1")));
            }
            List<Long> sorted = stops.stream().sorted().toList();
            System.out.printf(Locale.ROOT, "emergency stop to the last fault undone, 5 runs: %s ms; median %d ms%n", stops, sorted.get(2));

            double idle = cpuSeconds(() -> sleep(20));
            List<InputStream> pages = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                pages.add(HTTP.send(HttpRequest.newBuilder(at(console, "/api/events?token=" + token)).build(),
                        HttpResponse.BodyHandlers.ofInputStream()).body());
            }
            double idlePages = cpuSeconds(() -> sleep(20));
            for (InputStream page : pages) {
                page.close();
            }
            double run = cpuSeconds(() -> runWhole(console, token));
            pages.clear();
            for (int i = 0; i < 3; i++) {
                InputStream page = HTTP.send(HttpRequest.newBuilder(at(console, "/api/events?token=" + token)).build(),
                        HttpResponse.BodyHandlers.ofInputStream()).body();
                pages.add(page);
                Thread drain = new Thread(() -> {
                    try {
                        page.transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (IOException ignored) {
                        // closed
                    }
                });
                drain.setDaemon(true);
                drain.start();
            }
            double runPages = cpuSeconds(() -> runWhole(console, token));
            for (InputStream page : pages) {
                page.close();
            }
            System.out.printf(Locale.ROOT, "this JVM's CPU (the console, the engine, the load generator; the replica's JVMs are not in it):%n"
                    + "  idle 20 s: %.2f s with no page, %.2f s with three pages connected%n"
                    + "  a run (warming, then 21 s of phases at 20 req/s): %.2f s with no page, %.2f s with three pages%n",
                    idle, idlePages, run, runPages);
        }
    }

    static Path experiment(Path work, String name, String fault) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: NAME, title: The console's costs }
                traffic:
                  - { route: api, rate: 20/s }
                  - { route: login, rate: 4/s }
                phases: { warmup: 1s, baseline: 3s, fault: FAULT, recovery: 2s }
                faults:
                  - { target: gateway->auth-service, latency: { delay: 300ms } }
                hypotheses:
                  - { name: api-ok, route: api, during: [fault], success-rate: ">= 0%" }
                """.replace("NAME", name).replace("FAULT", fault));
        return file;
    }

    interface Work {
        void run() throws Exception;
    }

    static double cpuSeconds(Work work) throws Exception {
        long before = OS.getProcessCpuTime();
        work.run();
        return (OS.getProcessCpuTime() - before) / 1e9;
    }

    static void runWhole(Console console, String token) throws Exception {
        post(console, token, "/api/run", "{\"experiments\":[\"whole\"]}");
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!state(console, token).contains("\"done\":true,\"report\":\"runs/") || state(console, token).contains("\"done\":false")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the run did not end");
            }
            Thread.sleep(200);
        }
    }

    static String state(Console console, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(at(console, "/api/state?token=" + token)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static void post(Console console, String token, String path, String body) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(at(console, path)).header(ConsoleServer.TOKEN_HEADER, token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    static URI at(Console console, String path) {
        return URI.create("http://127.0.0.1:" + console.port() + path);
    }

    static void sleep(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }
}
