package io.blastradius.engine;

import io.blastradius.experiment.Outcome;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The suite's report.html: self-contained, every run in it, and a page that draws its charts without a console message. */
class HtmlReportTest {

    /** Three charts per run with measurements (throughput, latency, errors) and one breaker strip per run with breakers. */
    private static final int CHARTS_IN_SUITE = 8;

    /**
     * With {@code --enable-logging=stderr --v=0}, Chromium 156 writes every console message of the page, whatever its
     * level ({@code console.log}, {@code .warn}, {@code .error}, an uncaught exception), as one stderr line like
     * <pre>[6011:6011:1127/122448.601244:INFO:CONSOLE:2] "x", source: file:///tmp/scratch.html (2)</pre>
     * ({@code CONSOLE(2)} in older versions). The level is always INFO, so the report may print nothing at all. The
     * page's Content-Security-Policy forbids every request, and a blocked one is such a line too ("Loading the image
     * 'http://…' violates the following Content Security Policy directive …").
     */
    private static final Pattern CONSOLE_LINE = Pattern.compile(".*:CONSOLE[:(].*");

    @Test
    void theReportIsOneSelfContainedFileWithEveryRunAndItsFailedChecks(@TempDir Path dir) throws IOException {
        HtmlReport.write(suite(), dir);

        Path report = dir.resolve("report.html");
        assertThat(report).isRegularFile();
        String html = Files.readString(report);
        assertThat(html).doesNotContain("src=\"http", "href=\"http", "<link", "<script src")
                .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
                .contains("var uPlot=function()", ".u-legend")
                .contains("1 of 3 experiment(s) passed their gate.")
                .contains("<section class=\"experiment gate-failed-section\" id=\"auth-latency\">", "<a href=\"#auth-latency\">auth-latency</a>")
                .contains("<section class=\"experiment gate-passed-section\" id=\"redis-latency\">", "<a href=\"#redis-latency\">redis-latency</a>")
                .contains("id=\"auth-crash\">", "<p class=\"empty\">no measurements</p>")
                .contains("<td>p99</td><td>≤ 250 ms</td><td>2140 ms</td><td><span class=\"badge check-failed\">FAIL</span>")
                .contains("<code>delay=2s, jitter=100ms</code>", "15.2 s", "30.1 s")
                .contains("<li>18 s auth-session CLOSED→OPEN</li>", "<li>0 s inference CLOSED (initial)</li>")
                .contains("the body said &lt;/script&gt; &amp; more")
                // the blast-radius matrix at the top (routes × experiments) and in each section (routes × phases)
                .contains("<caption>Blast radius: each route in each experiment&#39;s fault phase</caption>")
                .contains("<tr><th>api</th><td class=\"impact-failed\" title=\"", "<td class=\"impact-unaffected\" title=\"")
                .contains("<td class=\"impact-idle\" title=\"not loaded, or no fault phase\">no traffic</td>");
        assertThat(occurrences(html, "<caption>Each route in each phase</caption>")).as("one per run that measured").isEqualTo(2);
        assertThat(occurrences(html, "</script>")).as("only the three real closing tags").isEqualTo(3);
        assertThat(occurrences(html, "<script")).isEqualTo(3);
        assertThat(html).contains("the body said \\u003c/script> & more");
    }

    @Test
    void chromiumDrawsEveryChartWithoutAConsoleMessage(@TempDir Path dir) throws Exception {
        Optional<Path> chromium = chromium();
        if (chromium.isEmpty()) {
            assertThat(System.getenv("CI")).as("CI installs chromium").isNotEqualTo("true");
            Assumptions.assumeTrue(false, "no chromium on PATH or at /usr/bin/chromium");
        }
        Path out = Path.of("target", "report-sample");
        HtmlReport.write(suite(), out);
        String url = out.resolve("report.html").toUri().toString();

        Run dom = run(chromium.get(), dir, "--dump-dom", url);
        Run shot = run(chromium.get(), dir, "--screenshot=" + Path.of("target", "report-screenshot.png").toAbsolutePath(),
                "--window-size=1280,2400", url);

        assertThat(dom.stdout()).contains("data-rendered=\"" + CHARTS_IN_SUITE + "\"").contains("class=\"uplot");
        assertThat(consoleLines(dom.stderr())).as("console messages while dumping the DOM").isEmpty();
        assertThat(consoleLines(shot.stderr())).as("console messages while taking the screenshot").isEmpty();
        assertThat(Path.of("target", "report-screenshot.png")).isNotEmptyFile();
    }

    record Run(String stdout, String stderr) {
    }

    static Run run(Path chromium, Path dir, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-extensions", "--no-first-run",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(dir, "stdout", ".txt");
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("chromium did not finish within 60 s: " + command);
        }
        assertThat(process.exitValue()).as("chromium's exit code; stderr:%n%s", Files.readString(stderr)).isZero();
        return new Run(Files.readString(stdout), Files.readString(stderr));
    }

    static List<String> consoleLines(String stderr) {
        return stderr.lines().filter(line -> CONSOLE_LINE.matcher(line).matches()).toList();
    }

    static Optional<Path> chromium() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(p -> !p.isBlank()).map(p -> Path.of(p, "chromium"));
        return Stream.concat(onPath, Stream.of(Path.of("/usr/bin/chromium"))).filter(Files::isExecutable).findFirst();
    }

    private static int occurrences(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** A deviated run (the fault reached the API), a passed one, and one that failed before it measured anything. */
    static List<RunResult> suite() {
        List<RunResult.BreakerChange> breakers = List.of(new RunResult.BreakerChange(0, "auth-session", "CLOSED"),
                new RunResult.BreakerChange(0, "inference", "CLOSED"), new RunResult.BreakerChange(18, "auth-session", "OPEN"),
                new RunResult.BreakerChange(23, "auth-session", "HALF_OPEN"), new RunResult.BreakerChange(24, "auth-session", "OPEN"),
                new RunResult.BreakerChange(31, "auth-session", "HALF_OPEN"), new RunResult.BreakerChange(32, "auth-session", "CLOSED"));
        RunResult.FaultEvent latency = new RunResult.FaultEvent("f1", "latency", "gateway->auth-service",
                new TreeMap<>(Map.of("delay", "2s", "jitter", "100ms")), 15.2, 30.1, 12L, null);
        RunResult deviated = new RunResult(experiment("auth-latency", "gateway->auth-service"), "local", 7, at(0), at(41),
                Verdict.DEVIATED, false, List.of("api-unaffected failed", "the body said </script> & more"),
                List.of(new Check("api-unaffected", "fault", "p99", "≤ 250 ms", "2140 ms", false),
                        new Check("api-unaffected", "baseline", "p99", "≤ 250 ms", "31 ms", true)),
                List.of(new Check("api-error-rate", "any", "error-rate", "≤ 5%", "1.2%", true)),
                List.of(latency), windows(), series(true), Map.of(), 850, breakers, null);
        RunResult passed = new RunResult(experiment("redis-latency", "session-cache->redis"), "local", 8, at(60), at(101),
                Verdict.PASSED, true, List.of("every hypothesis held"),
                List.of(new Check("api-unaffected", "fault", "p99", "≤ 250 ms", "44 ms", true)), List.of(),
                List.of(new RunResult.FaultEvent("f1", "latency", "session-cache->redis", Map.of("delay", "500ms"), 15.0, null, 3L, null)),
                windows(), series(false), Map.of(), 400, breakers.subList(0, 2), null);
        RunResult error = new RunResult(experiment("auth-crash", "gateway->auth-service"), "local", 9, at(120), at(121),
                Verdict.ERROR, false, List.of("the replica would not start"), List.of(), List.of(), List.of(),
                Map.of(), Map.of(), Map.of(), 0, List.of(), null);
        return List.of(deviated, passed, error);
    }

    private static Instant at(long second) {
        return Instant.parse("2025-11-27T10:00:00Z").plusSeconds(second);
    }

    static Experiment experiment(String name, String target) {
        return new ExperimentLoader().load(Path.of("catalog", name + ".yaml"), """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: %s, title: "Slow %s must not slow the public API" }
                traffic: [ { route: api, rate: 20/s }, { route: login, rate: 5/s } ]
                phases: { warmup: 5s, baseline: 10s, fault: 15s, recovery: 10s }
                faults: [ { target: %s, latency: { delay: 2s } } ]
                hypotheses: [ { name: api-unaffected, route: api, during: [baseline, fault], p99: "<= 250ms" } ]
                """.formatted(name, target, target));
    }

    private static Map<Phase, PhaseWindow> windows() {
        Map<Phase, PhaseWindow> windows = new EnumMap<>(Phase.class);
        windows.put(Phase.WARMUP, new PhaseWindow(Phase.WARMUP, 0, 5));
        windows.put(Phase.BASELINE, new PhaseWindow(Phase.BASELINE, 5, 15));
        windows.put(Phase.FAULT, new PhaseWindow(Phase.FAULT, 15, 30));
        windows.put(Phase.RECOVERY, new PhaseWindow(Phase.RECOVERY, 30, 40));
        return windows;
    }

    /** 40 seconds of api and login traffic; during the fault login is slow and times out, and the api too when it leaks. */
    private static Map<Route, RouteSeries> series(boolean leaks) {
        Random random = new Random(42);
        RouteSeries api = RouteSeries.of(Route.API);
        RouteSeries login = RouteSeries.of(Route.LOGIN);
        for (int s = 0; s < 40; s++) {
            boolean fault = s >= 15 && s < 30;
            for (int i = 0; i < 20; i++) {
                boolean hit = leaks && fault && random.nextInt(10) < 3;
                api.record(s, hit && random.nextBoolean() ? Outcome.HTTP_ERROR : Outcome.SUCCESS,
                        hit ? 2_000_000 + random.nextInt(200_000) : 15_000 + random.nextInt(25_000));
            }
            for (int i = 0; i < 5; i++) {
                boolean open = s >= 18 && s < 32;
                Outcome outcome = !fault ? Outcome.SUCCESS : open ? Outcome.GRACEFUL : Outcome.TIMEOUT;
                login.record(s, outcome, fault && !open ? 2_000_000 + random.nextInt(100_000) : 40_000 + random.nextInt(60_000));
            }
        }
        Map<Route, RouteSeries> series = new EnumMap<>(Route.class);
        series.put(Route.API, api);
        series.put(Route.LOGIN, login);
        return series;
    }
}
