package io.blastradius.engine;

import io.blastradius.engine.sweep.SweepConclusion;
import io.blastradius.engine.sweep.SweepHtml;
import io.blastradius.engine.sweep.SweepResults;
import io.blastradius.engine.sweep.SweepResults.CellResult;
import io.blastradius.engine.sweep.SweepResults.Figures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A sweep's conclusion (widest margin, breaking point) and sweep.html, on cells made by hand; the page in Chromium. */
class SweepHtmlTest {

    static final String TIMEOUT = "gateway:resilience4j.timelimiter.instances.auth.timeout-duration";
    static final String DELAY = "faults[0].latency.delay";

    static CellResult cell(int n, String timeout, String delay, boolean passed, double apiP99, String failed) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(TIMEOUT, timeout);
        values.put(DELAY, delay);
        return new CellResult(n, values, "auth-latency-0" + n, passed ? "PASSED" : "DEVIATED", passed, List.of(passed ? "every hypothesis held" : "x"),
                failed == null ? List.of() : List.of(failed),
                Map.of("api", Map.of("fault", new Figures(100, apiP99, apiP99 / 30, null))), passed ? 2.0 : null, Map.of("api", 0));
    }

    /** 2 timeouts × 3 delays: with 500 ms the api breaks at 4 s, with 1 s at 2 s. */
    static SweepResults.Sweep sweep() {
        return new SweepResults.Sweep("experiments/catalog/auth-latency.yaml", List.of(TIMEOUT, DELAY), List.of(
                cell(1, "500ms", "1s", true, 41, null),
                cell(2, "500ms", "2s", true, 38, null),
                cell(3, "500ms", "4s", false, 412, "api-unaffected: p99 during fault: required ≤ 250 ms, actual 412 ms"),
                cell(4, "1s", "1s", true, 35, null),
                cell(5, "1s", "2s", false, 1210, "api-unaffected: p99 during fault: required ≤ 250 ms, actual 1210 ms"),
                cell(6, "1s", "4s", false, 2030, "api-unaffected: p99 during fault: required ≤ 250 ms, actual 2030 ms")));
    }

    @Test
    void theConclusionNamesThePassedCellsTheWidestMarginAndEachBreakingPoint() {
        assertThat(SweepConclusion.of(sweep(), "api.fault.p99")).containsExactly(
                "3 of 6 cell(s) passed their gate: cell 1 (" + TIMEOUT + "=500ms, " + DELAY + "=1s); cell 2 (" + TIMEOUT + "=500ms, " + DELAY
                        + "=2s); cell 4 (" + TIMEOUT + "=1s, " + DELAY + "=1s).",
                "Widest margin on api.fault.p99: cell 4 (" + TIMEOUT + "=1s, " + DELAY + "=1s), 35 ms.",
                "Breaking point of " + DELAY + " with " + TIMEOUT + "=500ms: the hypotheses hold up to 2s; at 4s,"
                        + " api-unaffected: p99 during fault: required ≤ 250 ms, actual 412 ms.",
                "Breaking point of " + DELAY + " with " + TIMEOUT + "=1s: the hypotheses hold up to 1s; at 2s,"
                        + " api-unaffected: p99 during fault: required ≤ 250 ms, actual 1210 ms.");
    }

    @Test
    void aMagnitudeThatNeverBreaksOrBreaksAtOnceIsSaidSo() {
        var holds = new SweepResults.Sweep("x.yaml", List.of(TIMEOUT, DELAY), List.of(cell(1, "1s", "1s", true, 30, null), cell(2, "1s", "2s", true, 31, null)));
        assertThat(SweepConclusion.of(holds, "api.fault.p99")).last().isEqualTo("Breaking point of " + DELAY + " with " + TIMEOUT
                + "=1s: none; every hypothesis held up to 2s.");
        var breaks = new SweepResults.Sweep("x.yaml", List.of(TIMEOUT, DELAY), List.of(cell(1, "1s", "1s", false, 300, "api: p99 …")));
        assertThat(SweepConclusion.of(breaks, "api.fault.p99")).contains("0 of 1 cell(s) passed their gate.")
                .last().isEqualTo("Breaking point of " + DELAY + " with " + TIMEOUT + "=1s: already at the first value, 1s, api: p99 ….");
        // success is better high: the widest margin is the highest
        assertThat(SweepConclusion.of(sweep(), "api.fault.success")).contains("Widest margin on api.fault.success: cell 1 ("
                + TIMEOUT + "=500ms, " + DELAY + "=1s), 100.0 %.");
        assertThatThrownBy(() -> SweepConclusion.check("api.p99")).hasMessageStartingWith("--metric 'api.p99': expected ROUTE.PHASE.FIGURE");
    }

    @Test
    void aCellThatJudgedNothingLeavesTheBreakingPointUnknownButAnAbortGuardIsOne() {
        CellResult stopped = new CellResult(2, Map.of(DELAY, "2s"), "auth-latency-02", "ABORTED", false, List.of(Runner.STOPPED_BY_SIGNAL),
                List.of(), Map.of(), null, Map.of());
        CellResult error = new CellResult(2, Map.of(DELAY, "2s"), "auth-latency-02", "ERROR", false, List.of("no replica to run on: x"),
                List.of(), Map.of(), null, Map.of());
        CellResult guarded = new CellResult(2, Map.of(DELAY, "2s"), "auth-latency-02", "ABORTED", false, List.of("abort guard api-alive tripped"),
                List.of(), Map.of(), null, Map.of());
        CellResult held = new CellResult(1, Map.of(DELAY, "1s"), "auth-latency-01", "PASSED", true, List.of(), List.of(), Map.of(), null, Map.of());

        assertThat(SweepConclusion.of(new SweepResults.Sweep("x.yaml", List.of(DELAY), List.of(held, stopped)), "api.fault.p99")).last()
                .isEqualTo("Breaking point of " + DELAY + ": unknown; the hypotheses hold up to 1s, but at 2s the run ended ABORTED ("
                        + Runner.STOPPED_BY_SIGNAL + ").");
        assertThat(SweepConclusion.of(new SweepResults.Sweep("x.yaml", List.of(DELAY), List.of(error)), "api.fault.p99")).last()
                .isEqualTo("Breaking point of " + DELAY + ": unknown; at 2s the run ended ERROR (no replica to run on: x).");
        assertThat(SweepConclusion.of(new SweepResults.Sweep("x.yaml", List.of(DELAY), List.of(held, guarded)), "api.fault.p99")).last()
                .isEqualTo("Breaking point of " + DELAY + ": the hypotheses hold up to 1s; at 2s, the run ended ABORTED (abort guard api-alive tripped).");
    }

    @Test
    void theFailedRequestsP99IsAFigureOfItsOwn() {
        CellResult slow = new CellResult(1, Map.of(TIMEOUT, "2s"), "auth-latency-01", "PASSED", true, List.of(), List.of(),
                Map.of("login", Map.of("fault", new Figures(40, 2010, 80.0, 2005.0))), 3.0, Map.of());
        CellResult fast = new CellResult(2, Map.of(TIMEOUT, "500ms"), "auth-latency-02", "PASSED", true, List.of(), List.of(),
                Map.of("login", Map.of("fault", new Figures(40, 2010, 80.0, 512.0))), 2.0, Map.of());
        CellResult none = new CellResult(3, Map.of(TIMEOUT, "250ms"), "auth-latency-03", "PASSED", true, List.of(), List.of(),
                Map.of("login", Map.of("fault", new Figures(100, 30, 1.0, null))), null, Map.of());
        var sweep = new SweepResults.Sweep("x.yaml", List.of(TIMEOUT), List.of(slow, fast, none));

        assertThat(SweepConclusion.figure(fast, "login.fault.failed-p99")).contains(512.0);
        assertThat(SweepConclusion.figure(none, "login.fault.failed-p99")).as("no request failed").isEmpty();
        assertThat(SweepConclusion.of(sweep, "login.fault.failed-p99")).contains("Widest margin on login.fault.failed-p99: cell 2 ("
                + TIMEOUT + "=500ms), 512 ms.");
        assertThat(SweepResults.csv(sweep).get(0)).contains("login.fault.p99_ms,login.fault.p99_vs_baseline,login.fault.failed_p99_ms");
        assertThat(SweepResults.csv(sweep)).element(2).asString().contains(",2010.00,80.00,512.00");
        assertThat(SweepResults.csv(sweep)).element(3).asString().endsWith(",30.00,1.00,");
    }

    @Test
    void sweepHtmlIsTheGridColouredByGateWithTheFigureAndALinkInEachCell() {
        String html = SweepHtml.render(sweep(), "api.fault.p99");

        assertThat(html).contains("<tr><th>" + TIMEOUT + " \\ " + DELAY + "</th><th>1s</th><th>2s</th><th>4s</th></tr>")
                .contains("<td class=\"cell-failed\" title=\"api-unaffected: p99 during fault: required ≤ 250 ms, actual 412 ms\">"
                        + "<span class=\"figure\">412 ms</span>DEVIATED (gate failed)<br><a href=\"report.html#auth-latency-03\">cell 3: its report</a></td>")
                .contains("<td class=\"cell-passed\"", "<li>Widest margin on api.fault.p99: cell 4")
                .doesNotContain("<script", "src=\"http", "href=\"http");
    }

    @Test
    void chromiumRendersSweepHtmlWithoutAConsoleMessage(@TempDir Path dir) throws Exception {
        Optional<Path> chromium = HtmlReportTest.chromium();
        if (chromium.isEmpty()) {
            assertThat(System.getenv("CI")).as("CI installs chromium").isNotEqualTo("true");
            Assumptions.assumeTrue(false, "no chromium on PATH or at /usr/bin/chromium");
        }
        Path out = Files.createDirectories(Path.of("target", "sweep-sample"));
        Files.writeString(out.resolve("sweep.html"), SweepHtml.render(sweep(), "api.fault.p99"));
        String url = out.resolve("sweep.html").toUri().toString();

        HtmlReportTest.Run dom = HtmlReportTest.run(chromium.get(), dir, "--dump-dom", url);
        HtmlReportTest.Run shot = HtmlReportTest.run(chromium.get(), dir, "--screenshot=" + Path.of("target", "sweep-screenshot.png").toAbsolutePath(),
                "--window-size=1100,700", url);

        assertThat(dom.stdout()).contains("class=\"cell-passed\"");
        assertThat(HtmlReportTest.consoleLines(dom.stderr())).isEmpty();
        assertThat(HtmlReportTest.consoleLines(shot.stderr())).isEmpty();
        assertThat(Path.of("target", "sweep-screenshot.png")).isNotEmptyFile();
    }
}
