package io.blastradius.engine;

import io.blastradius.engine.load.RouteSeries;

import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Comparison;
import io.blastradius.experiment.Quantity;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite's summary.md and junit.xml, from results built by hand. */
class ReportsTest {

    static Experiment experiment(String name, String expect) {
        return new ExperimentLoader().load(Path.of(name + ".yaml"), """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: %s, title: t }
                traffic: [ { route: api, rate: 5/s } ]
                phases: { baseline: 1s, fault: 1s, recovery: 1s }
                hypotheses: [ { name: api-ok, route: api, during: [fault], p99: "<= 150ms" } ]
                expect: %s
                """.formatted(name, expect));
    }

    static RunResult result(Experiment experiment, Verdict verdict, boolean gate, Check... checks) {
        return result(experiment, 30, verdict, gate, checks);
    }

    /** A result whose api traffic ran for {@code seconds}. */
    static RunResult result(Experiment experiment, int seconds, Verdict verdict, boolean gate, Check... checks) {
        RouteSeries api = RouteSeries.of(Route.API);
        for (int second = 0; second < seconds; second++) {
            api.record(second, Outcome.SUCCESS, 1_000);
        }
        return new RunResult(experiment, "local", 42, Instant.EPOCH, Instant.EPOCH, verdict, gate, List.of("because"),
                List.of(checks), List.of(), List.of(), Map.of(Phase.FAULT, new PhaseWindow(Phase.FAULT, 1, 2)), Map.of(Route.API, api), Map.of(), 0, List.of(), null);
    }

    @Test
    void theSummaryTellsEachGateAndEveryFailedCheckInWords(@TempDir Path dir) throws Exception {
        Check failed = new Check("api-ok", "fault", "p99", "≤ 150 ms", "412 ms", false);
        List<RunResult> results = List.of(
                result(experiment("auth-latency", "pass"), Verdict.DEVIATED, false, failed),
                result(experiment("control", "deviation"), Verdict.DEVIATED, true, failed));

        Reports.writeSuite(results, Duration.ofSeconds(100), new Overhead(), dir);

        String summary = Files.readString(dir.resolve("summary.md"));
        assertThat(summary).contains("1 of 2 experiment(s) passed their gate.")
                .contains("| auth-latency | pass | DEVIATED | ❌ failed | because |")
                .contains("| control | deviation | DEVIATED | ✅ passed | because |")
                .contains("- api-ok: p99 during fault: required ≤ 150 ms, actual 412 ms")
                .contains("Seeds: auth-latency 42, control 42")
                .as("two runs of 2 s of phases in 100 s").contains("Wall time: 1m40s for 2 experiment(s); 4 s (4%) inside experiment phases, 1m36s (96%) outside");
        assertThat(Reports.suiteTable(results)).containsExactly(
                "  experiment    expect     verdict       gate",
                "  auth-latency  pass       DEVIATED      FAILED",
                "  control       deviation  DEVIATED      passed",
                "  1 of 2 experiment(s) passed their gate.");
        assertThat(dir.resolve("report.html")).content().contains("1 of 2 experiment(s) passed their gate");
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
        assertThat(junit.getDocumentElement().getTagName()).isEqualTo("testsuites");
        assertThat(junit.getElementsByTagName("testsuite").getLength()).isEqualTo(2);
        assertThat(junit.getElementsByTagName("failure").getLength()).as("two failed checks and one failed gate").isEqualTo(3);
    }

    @Test
    void aRunCutShortCountsNoMorePhaseTimeThanItLasted() {
        RunResult aborted = result(experiment("aborted", "pass"), 1, Verdict.ABORTED, false);
        assertThat(Reports.wallTime(List.of(aborted), Duration.ofSeconds(10), new Overhead()))
                .startsWith("Wall time: 10 s for 1 experiment(s); 1 s (10%) inside experiment phases, 9 s (90%) outside");
    }

    @Test
    void theTimeOutsideThePhasesIsSplitIntoItsPartsLargestFirstAndWhatNoneCoversIsOther() {
        RunResult aborted = result(experiment("aborted", "pass"), 1, Verdict.ABORTED, false);
        Overhead overhead = new Overhead();
        overhead.add(Overhead.Part.RESET, Duration.ofMillis(1_200).toNanos());
        overhead.add(Overhead.Part.SETTLE, Duration.ofMillis(4_000).toNanos());
        overhead.add(Overhead.Part.SETTLE, Duration.ofMillis(1_000).toNanos());
        overhead.time(Overhead.Part.REPORTS, () -> { });

        assertThat(Reports.wallTime(List.of(aborted), Duration.ofSeconds(10), overhead))
                .startsWith("Wall time: 10 s for 1 experiment(s); 1 s (10%) inside experiment phases, 9 s (90%) outside them: settling 5.0 s, resets 1.2 s, reports 0.0 s, other 2.8 s.");
    }

    @Test
    void junitXmlKeepsWhatAChecksWordsHoldAndTheJournalItsNumbers(@TempDir Path dir) throws Exception {
        Check odd = new Check("api-ok", "fault", "p99", "≤ 150 ms", "412 ms <\"&\"> ]]>", false,
                new Quantity(150, Comparison.Unit.MILLISECONDS), new Quantity(412, Comparison.Unit.MILLISECONDS));

        Reports.write(result(experiment("odd", "pass"), Verdict.DEVIATED, false, odd), dir);

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
        var failure = (org.w3c.dom.Element) junit.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("p99 during fault: required ≤ 150 ms, actual 412 ms <\"&\"> ]]>");
        assertThat(failure.getTextContent()).isEqualTo(failure.getAttribute("message"));
        assertThat(junit.getElementsByTagName("property").getLength()).isEqualTo(3);
        var journal = JsonMapper.builder().build().readTree(dir.resolve("journal.json").toFile());
        assertThat(journal.path("hypotheses").get(0).path("actualValue").path("value").asDouble()).isEqualTo(412);
        assertThat(journal.path("hypotheses").get(0).path("requiredValue").path("unit").asString()).isEqualTo("MILLISECONDS");
        assertThat(journal.path("verdict").asString()).isEqualTo("DEVIATED");
    }
}
