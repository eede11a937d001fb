package io.blastradius.console;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.blastradius.engine.Suite;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.replica.LocalEnvironmentProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console for real: a local replica, the page in Debian's Chromium through chromedriver. Loads the page
 * with its token, starts a short experiment, sees the charts fill and the phase advance to the fault, presses
 * the emergency stop, and sees the run ABORTED with no toxic left in the fault proxy; the refusals (no
 * token, a token only in the URL for a change, another host, a second run at once) on plain HTTP; and not
 * one message in the page's console.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ConsoleIT {

    static final Path HOME = Path.of(System.getProperty("blastradius.home", "../..")).toAbsolutePath().normalize();
    static final Path WORK = HOME.resolve("experiments/console/target/it-runs/console-" + RunIds.next());
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Console console;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(WORK);
        Path file = WORK.resolve("slow-auth.yaml");
        Files.writeString(file, """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: slow-auth, title: Slow auth for a game day }
                traffic:
                  - { route: api, rate: 20/s }
                  - { route: login, rate: 4/s }
                phases: { warmup: 1s, baseline: 3s, fault: 60s, recovery: 2s }
                faults:
                  - { target: gateway->auth-service, latency: { delay: 400ms } }
                  - { target: session-cache, app-latency: { min: 1ms, max: 2ms } }
                hypotheses:
                  - { name: api-unaffected, route: api, during: [baseline, fault], success-rate: ">= 99%" }
                """);
        List<Experiment> experiments = List.of(new ExperimentLoader().load(file));
        console = Console.start(feed -> new Suite(new Suite.Settings(HOME, WORK.resolve("suite"), new LocalEnvironmentProvider(), Map.of(), false, 3L),
                new PrintWriter(System.out, true), feed), experiments, WORK.resolve("runs"), 0);
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
    }

    static String token() {
        return URI.create(console.url()).getQuery().substring("token=".length());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI at(String path) {
        return URI.create("http://127.0.0.1:" + console.port() + path);
    }

    @Test
    void theConsoleRunsAnExperimentLiveAndItsEmergencyStopUndoesEveryFault() throws Exception {
        // refused: no token, a wrong one, a change with the token only in the URL, another host name
        assertThat(send(HttpRequest.newBuilder(at("/"))).statusCode()).isEqualTo(403);
        assertThat(send(HttpRequest.newBuilder(at("/api/state?token=wrong"))).statusCode()).isEqualTo(403);
        HttpResponse<String> urlOnly = send(HttpRequest.newBuilder(at("/api/run?token=" + token()))
                .POST(HttpRequest.BodyPublishers.ofString("{\"experiments\":[\"slow-auth\"]}")));
        assertThat(urlOnly.statusCode()).isEqualTo(403);
        assertThat(urlOnly.body()).contains("X-Blastradius-Token");
        assertThat(send(HttpRequest.newBuilder(at("/api/state?token=" + token()))).statusCode()).isEqualTo(200);
        assertThat(statusLine("evil.example:" + console.port())).as("a page of another name resolved to loopback").contains(" 421 ");
        assertThat(statusLine("localhost:" + console.port())).contains(" 200 ");
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(at("/api/run")).header(ConsoleServer.TOKEN_HEADER, token())
                .POST(HttpRequest.BodyPublishers.ofString("{\"experiments\":[\"nope\"]}")));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("no experiment named 'nope' here; the console has slow-auth");

        Path driver = Stream.of(Path.of("/usr/bin/chromedriver"), Path.of("/usr/lib/chromium/chromedriver")).filter(Files::isExecutable).findFirst().orElse(null);
        if (driver == null) {
            assertThat(System.getenv("CI")).as("CI installs chromium-driver").isNotEqualTo("true");
            Assumptions.assumeTrue(false, "no chromedriver (Debian's chromium-driver) to drive the page with");
        }
        ChromeOptions options = new ChromeOptions().setBinary(new File("/usr/bin/chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000", "--disable-dev-shm-usage");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build(), options);
        try {
            browser.get(console.url());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
            wait.until(b -> !b.findElements(By.id("pick-slow-auth")).isEmpty());
            browser.findElement(By.id("pick-slow-auth")).click();
            browser.findElement(By.id("run")).click();

            // the replica starts, settles, and the fault phase comes; the charts fill meanwhile
            wait.until(b -> "fault".equals(b.findElement(By.id("phase")).getText()));
            // both faults applied: the latency toxic, and the Chaos Monkey latency a fault by hand below must meet
            wait.until(b -> b.findElement(By.cssSelector("#faults tbody")).getText().split("IN PLACE", -1).length - 1 == 2);
            wait.until(b -> b.findElement(By.id("second")).getText().matches("\\d+")
                    && Integer.parseInt(b.findElement(By.id("second")).getText()) >= 6);
            Object charted = ((JavascriptExecutor) browser).executeScript(
                    "return document.querySelectorAll('#chart-rate canvas, #chart-p50 canvas, #chart-p99 canvas, #chart-errors canvas').length");
            assertThat(charted).as("four charts drawn").isEqualTo(4L);
            ToxiproxyClient toxiproxy = faultProxy();
            assertThat(toxiproxy.getProxy("gateway-to-auth-service").toxics().getAll()).as("the fault is in place").isNotEmpty();

            // a fault by hand on what the run's fault holds (session-cache's Chaos Monkey) would switch that one off: refused
            HttpResponse<String> clash = fault("{\"fault\": {\"target\": \"session-cache\", \"app-exception\": {}}, \"for\": \"30s\"}");
            assertThat(clash.statusCode()).as(clash.body()).isEqualTo(409);
            assertThat(clash.body()).contains("the Chaos Monkey of session-cache takes one such fault at a time, and app-latency on session-cache"
                    + " (experiment fault br-slow-auth-1) is in place: undo it first");

            // two people pressing run at once get one run
            HttpResponse<String> second = send(HttpRequest.newBuilder(at("/api/run")).header(ConsoleServer.TOKEN_HEADER, token())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"experiments\":[\"slow-auth\"]}")));
            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(second.body()).contains("a run is in progress: run 1 (slow-auth)");

            ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).renameTo(WORK.resolve("console-running.png").toFile());
            browser.findElement(By.id("stop")).click();
            wait.until(b -> b.findElement(By.id("message")).getText().startsWith("Every fault undone"));
            wait.until(b -> b.findElement(By.id("verdict")).getText().startsWith("ABORTED"));
            assertThat(toxiproxy.getProxy("gateway-to-auth-service").toxics().getAll()).as("no toxic left").isEmpty();
            wait.until(b -> b.findElement(By.id("runs")).getText().contains("report"));
            ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).renameTo(WORK.resolve("console-stopped.png").toFile());

            // a fault by hand from the page: in place and journaled; the emergency stop undoes it
            WebElement fault = browser.findElement(By.id("manual-fault"));
            fault.clear();
            fault.sendKeys("{\"target\": \"gateway->auth-service\", \"latency\": {\"delay\": \"300ms\"}}");
            WebElement limit = browser.findElement(By.id("manual-for"));
            limit.clear();
            limit.sendKeys("60s");
            browser.findElement(By.id("apply-fault")).click();
            new WebDriverWait(browser, Duration.ofSeconds(20)).withMessage(() -> "the page says: " + browser.findElement(By.id("message")).getText())
                    .until(b -> b.findElement(By.id("message")).getText().startsWith("Applied latency on gateway->auth-service until"));
            assertThat(toxiproxy.getProxy("gateway-to-auth-service").toxics().getAll()).hasSize(1);
            assertThat(manualJournals()).as("journaled like an experiment's fault").hasSize(1);
            browser.findElement(By.id("stop")).click();
            wait.until(b -> b.findElement(By.id("message")).getText().startsWith("Every fault undone"));
            assertThat(toxiproxy.getProxy("gateway-to-auth-service").toxics().getAll()).isEmpty();
            assertThat(manualJournals()).isEmpty();

            List<LogEntry> messages = browser.manage().logs().get(LogType.BROWSER).getAll();
            assertThat(messages).as("the page's console").isEmpty();

            // the run's report, opened from the page: its inline charts run under the report's own policy
            browser.get(at("/runs/1/report.html").toString());
            wait.until(b -> ((Long) ((JavascriptExecutor) b).executeScript("return document.querySelectorAll('canvas').length")) > 0);
            assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).as("the report's console").isEmpty();
        } finally {
            browser.quit();
        }
        HttpResponse<String> report = send(HttpRequest.newBuilder(at("/runs/1/report.html?token=" + token())));
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("slow-auth", "ABORTED");

        // the dead-man's switch: with no page at all, a fault by hand still ends on time
        HttpResponse<String> placed = fault("{\"fault\": {\"target\": \"gateway->auth-service\", \"latency\": {\"delay\": \"300ms\"}}, \"for\": \"5s\"}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        ToxiproxyClient toxiproxy = faultProxy();
        assertThat(toxiproxy.getProxy("gateway-to-auth-service").toxics().getAll()).hasSize(1);
        // the toxic goes first, the journal after it
        await("undone by itself after 5 s, and its journal gone", Duration.ofSeconds(20),
                () -> toxiproxy.getProxy("gateway-to-auth-service").toxics().getAll().isEmpty() && manualJournals().isEmpty());

        // a run's reset would remove a fault by hand unsaid, and leave what it holds taken: it is undone first, long before its time
        assertThat(fault("{\"fault\": {\"target\": \"inference-stub\", \"pause\": {}}, \"for\": \"60s\"}").statusCode()).isEqualTo(201);
        assertThat(manualFaultsListed()).isEqualTo(1);
        HttpResponse<String> again = send(HttpRequest.newBuilder(at("/api/run")).header(ConsoleServer.TOKEN_HEADER, token())
                .POST(HttpRequest.BodyPublishers.ofString("{\"experiments\":[\"slow-auth\"]}")));
        assertThat(again.statusCode()).as(again.body()).isLessThan(300);
        // off the list first, then undone, then its journal gone: wait for the last
        await("the fault by hand undone before the run's reset", Duration.ofSeconds(30), () -> manualFaultsListed() == 0 && manualJournals().isEmpty());
        // stopped in its fault phase, as the first run was (not in the middle of its reset)
        await("the second run's fault phase", Duration.ofSeconds(120), () -> !toxiproxy.getProxy("gateway-to-auth-service").toxics().getAll().isEmpty());
        HttpResponse<String> stopped = send(HttpRequest.newBuilder(at("/api/stop")).header(ConsoleServer.TOKEN_HEADER, token())
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
    }

    /** Polls every 100 ms until {@code done}; fails, saying {@code what}, once {@code within} has passed. */
    static void await(String what, Duration within, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.call()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** How many faults by hand the console's state lists. */
    static int manualFaultsListed() throws Exception {
        return JsonMapper.builder().build().readTree(send(HttpRequest.newBuilder(at("/api/state?token=" + token()))).body()).path("manualFaults").size();
    }

    @Test
    void aMalformedFaultByHandIsRefusedInTheLoadersWords() throws Exception {
        assertThat(fault("{\"fault\": {\"target\": \"gateway->auth-service\", \"melt\": {}}, \"for\": \"30s\"}").body())
                .contains("unknown key 'melt'", "allowed here: target, at, for").doesNotContain("manual-fault:");
        assertThat(fault("{\"fault\": {\"target\": \"the-moon\", \"latency\": {\"delay\": \"1s\"}}, \"for\": \"30s\"}").body())
                .contains("a latency fault targets a hop: one of gateway->auth-service", "but was 'the-moon'");
        assertThat(fault("{\"fault\": {\"target\": \"gateway->auth-service\", \"latency\": {\"delay\": \"1s\"}}}").body())
                .contains("a manual fault needs 'for': how long until it is undone by itself");
        assertThat(fault("{\"fault\": {\"target\": \"gateway->auth-service\", \"latency\": {\"delay\": \"1s\"}}, \"for\": \"45m\"}").body())
                .contains("'for' must be more than 0 and at most 30m, but was 45m");
        assertThat(fault("{\"fault\": {\"target\": \"gateway->auth-service\", \"latency\": {\"delay\": \"soon\"}}, \"for\": \"30s\"}").statusCode())
                .isEqualTo(400);
        assertThat(fault("not json").statusCode()).isEqualTo(400);
        // a body past 64 KB is refused while it comes, with or without a length
        byte[] large = ("{\"fault\": \"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(send(HttpRequest.newBuilder(at("/api/fault")).header(ConsoleServer.TOKEN_HEADER, token())
                .POST(HttpRequest.BodyPublishers.ofByteArray(large))).statusCode()).isEqualTo(413);
        // chunked (no length): refused once 64 KB have come; on a raw socket, whose buffers take the whole body
        try (Socket socket = new Socket("127.0.0.1", console.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/fault HTTP/1.1\r\nHost: 127.0.0.1:" + console.port() + "\r\n" + ConsoleServer.TOKEN_HEADER + ": " + token()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "x".repeat(8192).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 12; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedEarly) {
                // the console may close before the last chunk: its answer is already on the way
            }
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).as("chunked").contains(" 413 ");
        }
        assertThat(send(HttpRequest.newBuilder(at("/api/fault/undo")).header(ConsoleServer.TOKEN_HEADER, token())
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"manual-nope\"}"))).statusCode()).isEqualTo(404);
        assertThat(manualJournals()).isEmpty();
    }

    static HttpResponse<String> fault(String body) throws Exception {
        return send(HttpRequest.newBuilder(at("/api/fault")).header(ConsoleServer.TOKEN_HEADER, token()).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The rollback journals of faults applied by hand, in the project's rollback folder. */
    static List<Path> manualJournals() throws IOException {
        Path dir = HOME.resolve("runs/.rollback");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("manual-")).toList();
        }
    }

    /** The status line of a GET of the state with the token, under a Host header of our choosing (HttpClient sets its own). */
    static String statusLine(String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", console.port())) {
            socket.getOutputStream().write(("GET /api/state?token=" + token() + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    /** The fault proxy of the replica the console started, from its replica.json. */
    static ToxiproxyClient faultProxy() throws IOException {
        try (Stream<Path> files = Files.walk(WORK.resolve("suite"))) {
            Path json = files.filter(p -> p.getFileName().toString().equals("replica.json")).findFirst().orElseThrow();
            URI api = URI.create(JsonMapper.builder().build().readTree(json.toFile()).path("faultProxyUrl").asString());
            return new ToxiproxyClient(api.getHost(), api.getPort());
        }
    }
}
