package io.blastradius.junit;

import io.blastradius.engine.Check;
import io.blastradius.engine.PhaseWindow;
import io.blastradius.engine.RunResult;
import io.blastradius.engine.Verdict;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.InvalidExperimentException;
import io.blastradius.experiment.Phase;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How results become dynamic tests: a failed check or gate fails its test, a negative control's checks are not tests. */
class ChaosExperimentsTest {

    static final Check PASSED = new Check("api-ok", "fault", "p99", "≤ 150 ms", "41 ms", true);
    static final Check FAILED = new Check("api-ok", "fault", "success-rate", "≥ 99.9%", "91.00%", false);

    static Experiment experiment(String expect) {
        return new ExperimentLoader().load(Path.of("x.yaml"), """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: x, title: t }
                traffic: [ { route: api, rate: 5/s } ]
                phases: { baseline: 1s, fault: 1s, recovery: 1s }
                hypotheses: [ { name: api-ok, route: api, during: [fault], p99: "<= 150ms" } ]
                expect: %s
                """.formatted(expect));
    }

    static RunResult outcome(String expect, Verdict verdict, boolean gate, Check... checks) {
        return new RunResult(experiment(expect), "local", 7, Instant.EPOCH, Instant.EPOCH, verdict, gate, List.of("because"),
                List.of(checks), List.of(), List.of(), Map.of(Phase.FAULT, new PhaseWindow(Phase.FAULT, 1, 2)), Map.of(), Map.of(), 0,
                List.of(), null);
    }

    @Test
    void aPassingRunIsPassingTests() {
        List<DynamicTest> tests = ChaosExperiments.testsOf(outcome("pass", Verdict.PASSED, true, PASSED)).toList();

        assertThat(tests).extracting(DynamicTest::getDisplayName).containsExactly("api-ok [fault] p99", "gate");
        tests.forEach(t -> assertThatCode(() -> t.getExecutable().execute()).doesNotThrowAnyException());
    }

    @Test
    void aFailedCheckAndAFailedGateFailTheirTestsSayingWhy() {
        List<DynamicTest> tests = ChaosExperiments.testsOf(outcome("pass", Verdict.DEVIATED, false, PASSED, FAILED)).toList();

        assertThatCode(() -> tests.get(0).getExecutable().execute()).doesNotThrowAnyException();
        assertThatThrownBy(() -> tests.get(1).getExecutable().execute()).isInstanceOf(AssertionFailedError.class)
                .hasMessage("api-ok: success-rate during fault: required ≥ 99.9%, actual 91.00%");
        assertThatThrownBy(() -> tests.get(2).getExecutable().execute()).isInstanceOf(AssertionFailedError.class)
                .hasMessage("x: expected pass, was DEVIATED (seed 7): because");
    }

    @Test
    void aNegativeControlIsOnlyItsGate() {
        List<DynamicTest> seen = ChaosExperiments.testsOf(outcome("deviation", Verdict.DEVIATED, true, FAILED)).toList();
        List<DynamicTest> missed = ChaosExperiments.testsOf(outcome("deviation", Verdict.PASSED, false, PASSED)).toList();

        assertThat(seen).extracting(DynamicTest::getDisplayName).containsExactly("gate");
        assertThatCode(() -> seen.get(0).getExecutable().execute()).doesNotThrowAnyException();
        assertThatThrownBy(() -> missed.get(0).getExecutable().execute()).hasMessageContaining("expected deviation, was PASSED");
    }

    @Test
    void anExperimentWithNoReplicaToRunOnFailsItsGateAndTheSuiteStillReportsIt(@TempDir Path home) throws Throwable {
        Path reports = home.resolve("reports");
        List<DynamicNode> containers;
        try (Stream<DynamicNode> tests = ChaosExperiments.of(Path.of("../smoke.yaml")).home(home).reportsTo(reports).tests()) {
            containers = tests.toList();
            assertThat(containers).singleElement().extracting(DynamicNode::getDisplayName).isEqualTo("smoke-auth-latency");
            List<DynamicTest> children = ((DynamicContainer) containers.get(0)).getChildren().map(DynamicTest.class::cast).toList();
            assertThat(children).extracting(DynamicTest::getDisplayName).containsExactly("gate");
            assertThatThrownBy(() -> children.get(0).getExecutable().execute()).isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("expected pass, was ERROR").hasMessageContaining("no replica to run on: ")
                    .hasMessageContaining("is not built");
        }
        assertThat(reports.resolve("summary.md")).content().contains("| smoke-auth-latency | pass | ERROR | ❌ failed |");
        assertThat(reports.resolve("junit.xml")).exists();
        assertThat(reports.resolve("report.html")).exists();
        assertThat(reports.resolve("smoke-auth-latency/journal.json")).content().contains("\"verdict\" : \"ERROR\"");
    }

    @Test
    void invalidFilesFailBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "apiVersion: blastradius/v1\nkind: Experiment\nmetadata: { name: Bad Name }\n");

        assertThatThrownBy(() -> ChaosExperiments.of(dir).home(dir).tests()).isInstanceOf(InvalidExperimentException.class)
                .hasMessageContaining("bad.yaml:1:1: the experiment is missing the required key 'traffic'");
    }
}
