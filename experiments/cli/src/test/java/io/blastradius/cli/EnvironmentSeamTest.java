package io.blastradius.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.blastradius.cli.CommandLineTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An environment added as a module adds it, with nothing changed outside: {@link StubEnvironmentProvider}
 * lives in this module's tests only and is found by name, runs an experiment through the CLI, and has
 * experiments needing what it lacks refused before anything starts.
 */
class EnvironmentSeamTest {

    @TempDir
    Path home;

    Path experiment(String fault) throws IOException {
        Path file = home.resolve("stub-pause.yaml");
        Files.writeString(file, """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: stub-pause, title: A paused inference-stub fails the api fast }
                traffic: [ { route: api, rate: 20/s } ]
                phases: { warmup: 1s, baseline: 2s, fault: 2s, recovery: 2s }
                faults:
                  - { target: inference-stub, FAULT: {} }
                hypotheses:
                  - { name: api-ok, route: api, during: [baseline, recovery], success-rate: ">= 95%" }
                  - { name: api-fails-fast, route: api, during: [fault], failures: graceful }
                """.replace("FAULT", fault));
        return file;
    }

    @Test
    void aNewEnvironmentIsFoundByNameAndRunsAnExperiment() throws IOException {
        CommandLineTest.Outcome outcome = run("run", "--env", "stub", "--home", home.toString(), "--out", home.resolve("out").toString(),
                experiment("pause").toString());

        assertThat(outcome.exit()).as(outcome.out() + outcome.err()).isZero();
        assertThat(outcome.out()).contains("(seed ").contains(", stub)").contains("PASSED (gate passed)")
                .contains("fault: applied pause on inference-stub").contains("fault: removed pause on inference-stub");
        assertThat(home.resolve("out/stub-pause/journal.json")).content().contains("\"environment\" : \"stub\"");
    }

    @Test
    void anExperimentNeedingWhatTheEnvironmentLacksIsRefusedBeforeAnythingStarts() throws IOException {
        Path file = experiment("crash");

        CommandLineTest.Outcome outcome = run("run", "--env", "stub", "--home", home.toString(), file.toString());

        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.err()).contains(file + ":7:")
                .contains("a crash fault needs starting a crashed or stopped service again, which the stub environment does not offer; "
                        + "run it with --env kubernetes or --env local or --env testcontainers");
        assertThat(home.resolve("runs")).doesNotExist();
    }

    @Test
    void anUnknownEnvironmentNamesTheOnesThatExist() {
        CommandLineTest.Outcome outcome = run("run", "--env", "cloud", "--home", home.toString());

        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.err()).contains("no environment named 'cloud'; on the classpath: attach, kubernetes, local, stub, testcontainers");
    }

    @Test
    void helpListsTheEnvironmentsOnTheClasspath() {
        assertThat(run("run", "--help").out()).contains("(attach, kubernetes, local, stub, testcontainers)");
    }
}
