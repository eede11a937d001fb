package io.blastradius.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real sweep of two cells on a local replica, short phases: latency on the inference hop of 10 ms and
 * of 600 ms against the api's 250 ms bound. The two cells must differ in verdict, so that a sweep that
 * ignored its --vary would fail here.
 */
class SweepIT {

    @Test
    void twoCellsOfOneKeyRunSideBySideAndDifferAsTheirValuesDo(@TempDir Path out) throws Exception {
        Path home = Path.of(System.getProperty("blastradius.home", "../..")).toAbsolutePath().normalize();
        CommandLineTest.Outcome sweep = CommandLineTest.run("sweep", home.resolve("experiments/catalog/control-inference-latency.yaml").toString(),
                "--home", home.toString(), "--out", out.toString(), "--seed", "5",
                "--vary", "faults[0].latency.delay=10ms,600ms",
                "--vary", "phases.warmup=1s", "--vary", "phases.baseline=3s", "--vary", "phases.fault=4s", "--vary", "phases.recovery=1s");

        assertThat(sweep.exit()).as(sweep.out() + sweep.err()).isZero();
        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertThat(csv.get(0)).startsWith("cell,faults[0].latency.delay,phases.warmup,phases.baseline,phases.fault,phases.recovery,verdict,gate,first_breaker_open_s,"
                + "api.baseline.success_percent,api.baseline.p99_ms");
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).as("10 ms: the api holds, so the negative control's gate fails").startsWith("1,10ms,1s,3s,4s,1s,PASSED,failed,");
        assertThat(csv.get(2)).as("600 ms: the api sees it").startsWith("2,600ms,1s,3s,4s,1s,DEVIATED,passed,");
        assertThat(out.resolve("sweep.json")).content().contains("\"verdict\" : \"DEVIATED\"", "\"faults[0].latency.delay\" : \"600ms\"");
        // each cell keeps its own run folder, and the cells share one report
        assertThat(out.resolve("control-inference-latency-01/journal.json")).isRegularFile();
        assertThat(out.resolve("control-inference-latency-02/journal.json")).isRegularFile();
        assertThat(out.resolve("report.html")).content().contains("control-inference-latency-02");
        assertThat(sweep.out()).contains("opening the local environment").containsOnlyOnce("opening the local environment")
                .contains("1 of 2 cell(s) passed their gate: cell 2 (faults[0].latency.delay=600ms, ")
                .contains("Breaking point of faults[0].latency.delay with phases.warmup=1s, phases.baseline=3s, phases.fault=4s,"
                        + " phases.recovery=1s: the hypotheses hold up to 10ms; at 600ms, api-unaffected: p99 during fault: required ≤ 250 ms");
        assertThat(out.resolve("sweep.html")).content().contains("<a href=\"report.html#control-inference-latency-02\">");
    }
}
