package io.blastradius.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real sweep of two cells on a local replica, short phases: 2 s of auth latency against the decoupled and
 * the coupled gateway. The two cells must differ in verdict, so that a sweep that ignored its --vary would
 * fail here; and the second cell must get its profile by a restart of the gateway alone, not a new replica.
 */
class SweepIT {

    @Test
    void twoCellsRunSideBySideOnOneReplicaAndDifferAsTheirValuesDo(@TempDir Path out) throws Exception {
        Path home = Path.of(System.getProperty("blastradius.home", "../..")).toAbsolutePath().normalize();
        // the catalog's bounds (p99 250 ms, 99.9 %) would let two slow calls on a busy machine fail the decoupled cell:
        // bounds a 2 s leak into the api still breaks, and a stall of the machine does not
        String control = Files.readString(home.resolve("experiments/catalog/control-coupled-auth-latency.yaml"))
                .replace("success-rate: \">= 99.9%\", p99: \"<= 250ms\"", "success-rate: \">= 99%\", p99: \"<= 1500ms\"");
        assertThat(control).contains("<= 1500ms");
        Path experiment = Files.writeString(Files.createTempDirectory("sweep-it").resolve("control-coupled-auth-latency.yaml"), control);
        CommandLineTest.Outcome sweep = CommandLineTest.run("sweep", experiment.toString(),
                "--home", home.toString(), "--out", out.toString(), "--seed", "5",
                "--vary", "replica.profile=decoupled,coupled", "--vary", "faults[0].latency.delay=2s",
                "--vary", "phases.warmup=1s", "--vary", "phases.baseline=3s", "--vary", "phases.fault=4s", "--vary", "phases.recovery=1s");

        assertThat(sweep.exit()).as(sweep.out() + sweep.err()).isZero();
        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertThat(csv.get(0)).startsWith("cell,replica.profile,faults[0].latency.delay,phases.warmup,phases.baseline,phases.fault,phases.recovery,"
                + "verdict,gate,first_breaker_open_s,api.baseline.success_percent,api.baseline.p99_ms,api.baseline.p99_vs_baseline,"
                + "api.baseline.failed_p99_ms");
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).as("decoupled: the api holds, so the negative control's gate fails")
                .startsWith("1,decoupled,2s,1s,3s,4s,1s,PASSED,failed,");
        assertThat(csv.get(2)).as("coupled: the api sees it").startsWith("2,coupled,2s,1s,3s,4s,1s,DEVIATED,passed,");
        assertThat(out.resolve("sweep.json")).content().contains("\"verdict\" : \"DEVIATED\"", "\"replica.profile\" : \"coupled\"");
        // each cell keeps its own run folder, and the cells share one report
        assertThat(out.resolve("control-coupled-auth-latency-01/journal.json")).isRegularFile();
        assertThat(out.resolve("control-coupled-auth-latency-02/journal.json")).content().contains("\"profile\" : \"coupled\"");
        assertThat(out.resolve("report.html")).content().contains("control-coupled-auth-latency-02");
        assertThat(sweep.out()).containsOnlyOnce("opening the local environment")
                .contains("other replica settings (profile coupled): restarting the services they change", "restarted gateway in ")
                .contains("1 of 2 cell(s) passed their gate: cell 2 (replica.profile=coupled, faults[0].latency.delay=2s, ")
                .contains("Breaking point of faults[0].latency.delay with replica.profile=decoupled, phases.warmup=1s, phases.baseline=3s,"
                        + " phases.fault=4s, phases.recovery=1s: none; every hypothesis held up to 2s.")
                // the first of the api's checks to fail is named: its p99, or its success rate when slow calls also failed
                .containsPattern("Breaking point of faults\\[0]\\.latency\\.delay with replica\\.profile=coupled, phases\\.warmup=1s, "
                        + "phases\\.baseline=3s, phases\\.fault=4s, phases\\.recovery=1s: already at the first value, 2s, "
                        + "api-unaffected: (p99 during fault: required ≤ 1500 ms|success-rate during fault: required ≥ 99%)");
        assertThat(out.resolve("sweep.html")).content().contains("<a href=\"report.html#control-coupled-auth-latency-02\">");
    }
}
