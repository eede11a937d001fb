package io.blastradius.cli;

import io.blastradius.engine.Suite;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI in-process: exit codes and what it prints, for the commands that start nothing. */
class CommandLineTest {

    record Outcome(int exit, String out, String err) {
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = BlastRadius.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    @Test
    void validatePassesTheCatalogAndRefusesADefectWithExitCode2() {
        Outcome catalog = run("validate", "../catalog");
        assertThat(catalog.exit()).isZero();
        assertThat(catalog.out()).contains(catalogSize() + " file(s), 0 invalid");

        Outcome invalid = run("validate", "../catalog/auth-latency.yaml", "../model/src/test/resources/fixtures/invalid/bad-rate.yaml");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.out()).contains("2 file(s), 1 invalid");
        assertThat(invalid.err()).contains("bad-rate.yaml:7:25: 'traffic.0.rate' must be a rate like 200/s");
        assertThat(run("validate", "no/such/file.yaml").exit()).isEqualTo(2);
    }

    @Test
    void exportWritesAWorkflowPerExperimentAndRefusesBadInputWritingNothing(@TempDir Path dir) throws IOException {
        Outcome one = run("export", "--to", "chaos-mesh", "../catalog/auth-latency.yaml");
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.out()).startsWith("---\n# Blast Radius experiment 'auth-latency'").contains("kind: Workflow").contains("templateType: NetworkChaos")
                .contains("namespace: blast-radius");

        Path out = dir.resolve("workflows");
        Outcome catalog = run("export", "--to", "chaos-mesh", "--namespace", "game-day", "--out", out.toString(), "../catalog");
        assertThat(catalog.exit()).as(catalog.err()).isZero();
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).hasSize(catalogSize()).contains("auth-crash.workflow.yaml");
        }
        assertThat(Files.readString(out.resolve("auth-crash.workflow.yaml"))).contains("namespace: game-day").contains("action: pod-kill");

        Path nothing = dir.resolve("nothing");
        assertThat(run("export", "--to", "litmus", "--out", nothing.toString(), "../catalog").err()).contains("--to litmus is not a format").contains("chaos-mesh");
        assertThat(run("export", "--to", "chaos-mesh", "--namespace", "Game_Day", "--out", nothing.toString(), "../catalog").err()).contains("not a Kubernetes namespace name");
        Outcome invalid = run("export", "--to", "chaos-mesh", "--out", nothing.toString(), "../catalog/auth-latency.yaml", "../model/src/test/resources/fixtures/invalid/bad-rate.yaml");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("bad-rate.yaml:7:25");
        Path twin = Files.copy(Path.of("../catalog/auth-latency.yaml"), dir.resolve("twin.yaml"));
        Outcome twins = run("export", "--to", "chaos-mesh", "--out", nothing.toString(), "../catalog/auth-latency.yaml", twin.toString());
        assertThat(twins.exit()).isEqualTo(2);
        assertThat(twins.err()).contains("are both named 'auth-latency'");
        Outcome empty = run("export", "--to", "chaos-mesh", "--out", nothing.toString(), Files.createDirectories(dir.resolve("empty")).toString());
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("no experiment");
        assertThat(nothing).as("nothing written for a refused export").doesNotExist();
    }

    @Test
    void listShowsEachExperimentAndItsExpectation() {
        Outcome list = run("list", "../catalog");
        assertThat(list.exit()).isZero();
        assertThat(list.out().lines()).hasSize(catalogSize());
        assertThat(list.out()).contains("auth-latency").contains("Slow logins must not slow the public API");
        assertThat(list.out().lines().filter(l -> l.endsWith("expect deviation"))).hasSize(2);
    }

    @Test
    void runRefusesBadOptionsBeforeStartingAnything() {
        assertThat(run("run", "--fail-on", "maybe", "../catalog").err()).contains("--fail-on takes deviated, aborted, inconclusive or error, but was 'maybe'");
        assertThat(run("run", "--env", "cloud", "../catalog").exit()).isEqualTo(2);
        assertThat(run("run", "--env", "attach", "../catalog").err()).contains("--env attach needs --replica");
        assertThat(run("run", "--replica", "replica.json", "../catalog").err()).isEqualTo("blastradius run: --replica is for --env attach, not --env local\n");
        // sweep takes the same environment options, checked the same way
        Outcome sweepAttach = run("sweep", "../catalog/auth-latency.yaml", "--env", "attach", "--vary", "faults[0].latency.delay=1s");
        assertThat(sweepAttach.exit()).isEqualTo(2);
        assertThat(sweepAttach.err()).startsWith("blastradius sweep: --env attach needs --replica");
        assertThat(run("sweep", "../catalog/auth-latency.yaml", "--deploy", "--vary", "faults[0].latency.delay=1s").err())
                .isEqualTo("blastradius sweep: --namespace and --deploy are for --env kubernetes, not --env local\n");
        assertThat(run("run", "../model/src/test/resources/fixtures/invalid/unknown-route.yaml").exit()).isEqualTo(2);
    }

    @Test
    void runWithoutFilesRunsTheCatalogOfItsHomeAndSaysWhereItLookedWhenThereIsNone(@TempDir Path empty) {
        Outcome none = run("run", "--home", empty.toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("no such file or folder: " + empty.resolve("experiments").resolve("catalog"));
    }

    @Test
    void aFileThatIsNotUtf8TextIsNamedSoWithItsOffsetByEveryCommandThatReadsOne() {
        String fixture = "../model/src/test/resources/fixtures/invalid/not-utf8.yaml";
        String message = "not-utf8.yaml:6:20: not UTF-8 text: the byte 0xe9 at offset 108 is not valid UTF-8";
        assertThat(run("validate", fixture).err()).contains(message);
        Outcome sweep = run("sweep", fixture, "--vary", "faults[0].latency.delay=1s");
        assertThat(sweep.exit()).isEqualTo(2);
        assertThat(sweep.err()).contains(message);
        assertThat(run("run", fixture).err()).contains(message);
    }

    @Test
    void aFolderWithNoExperimentInItIsAnErrorForEveryCommandThatTakesOneNeverAPass(@TempDir Path empty) throws IOException {
        Files.writeString(empty.resolve("notes.txt"), "not an experiment");
        String looked = "no experiment in " + empty + ": an experiment is a *.yaml or *.yml file";
        for (String command : List.of("run", "validate", "list", "export")) {
            Outcome outcome = command.equals("export") ? run(command, "--to", "chaos-mesh", "--out", empty.resolve("out").toString(), empty.toString())
                    : run(command, empty.toString());
            assertThat(outcome.exit()).as(command).isEqualTo(2);
            assertThat(outcome.err()).as(command).contains("blastradius " + command + ": " + looked);
        }
    }

    @Test
    void aSuiteRunsTheExperimentsThatNeedTheSameReplicaTogether() throws Exception {
        ExperimentLoader loader = new ExperimentLoader();
        List<Experiment> catalog = new ArrayList<>();
        for (Path file : ExperimentLoader.files(List.of(Path.of("../catalog")))) {
            catalog.add(loader.load(file));
        }

        List<Experiment> ordered = Suite.inReplicaOrder(catalog);

        assertThat(ordered).hasSameSizeAs(catalog);
        assertThat(ordered.get(0).replica()).as("the default replica first").isEqualTo(Experiment.ReplicaSpec.DEFAULT);
        List<Experiment.ReplicaSpec> specs = ordered.stream().map(Experiment::replica).toList();
        long changes = java.util.stream.IntStream.range(1, specs.size()).filter(i -> !specs.get(i).equals(specs.get(i - 1))).count();
        assertThat(changes).as("the experiments of each replica together, each replica's settings given once: " + specs)
                .isEqualTo(specs.stream().distinct().count() - 1);
        assertThat(specs).extracting(Experiment.ReplicaSpec::profile).contains("coupled");
    }

    /** How many experiments the catalog holds. */
    static int catalogSize() {
        try (var files = Files.list(Path.of("../catalog"))) {
            return (int) files.filter(f -> f.toString().endsWith(".yaml")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void failOnChoosesWhichVerdictsFailTheRunAndTheWorstCodeWins() {
        List<String> all = List.of("deviated", "aborted", "inconclusive", "error");
        assertThat(RunCommand.exitCode(List.of(0, 0), all)).isZero();
        assertThat(RunCommand.exitCode(List.of(0, 1, 4), all)).isEqualTo(4);
        assertThat(RunCommand.exitCode(List.of(1, 3, 5), all)).isEqualTo(5);
        assertThat(RunCommand.exitCode(List.of(1, 4), List.of("aborted", "error"))).isZero();
        assertThat(RunCommand.exitCode(List.of(1, 4), List.of("deviated"))).isEqualTo(1);
    }

    @Test
    void theKubernetesEnvironmentWithoutAKubeconfigIsRefusedInOneLineBeforeAnythingStarts(@TempDir Path home) {
        System.setProperty("kubeconfig", home.resolve("no-kubeconfig").toString());
        try {
            Outcome outcome = run("run", "--env", "kubernetes", "--namespace", "game-day", "--home", home.toString(), "../catalog/auth-latency.yaml");

            assertThat(outcome.exit()).isEqualTo(2);
            assertThat(outcome.err()).isEqualTo("blastradius run: --env kubernetes: no kubeconfig (neither $KUBECONFIG nor ~/.kube/config exists)"
                    + " and not inside a pod: point KUBECONFIG at your cluster's config (kind: kind get kubeconfig > kubeconfig;"
                    + " export KUBECONFIG=$PWD/kubeconfig)\n");
            assertThat(home.resolve("runs")).doesNotExist();
        } finally {
            System.clearProperty("kubeconfig");
        }
    }

    @Test
    void kubernetesOptionsWithAnotherEnvironmentAreRefused(@TempDir Path home) {
        Outcome outcome = run("run", "--deploy", "--home", home.toString(), "../catalog/auth-latency.yaml");

        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.err()).isEqualTo("blastradius run: --namespace and --deploy are for --env kubernetes, not --env local\n");
        Outcome badName = run("run", "--env", "kubernetes", "--namespace", "Game_Day", "--home", home.toString(), "../catalog/auth-latency.yaml");
        assertThat(badName.exit()).isEqualTo(2);
        assertThat(badName.err()).startsWith("blastradius run: --namespace 'Game_Day' is not a Kubernetes namespace name");
    }

    @Test
    void rollbackTakesAnEnvironmentToLimitItselfTo(@TempDir Path home) {
        Outcome kubernetes = run("rollback", "--env", "kubernetes", "--home", home.toString());
        assertThat(kubernetes.exit()).isZero();
        assertThat(kubernetes.out()).isEqualTo("nothing to roll back\n");

        Outcome unknown = run("rollback", "--env", "cloud", "--home", home.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("blastradius rollback: no environment named 'cloud'; on the classpath: attach, kubernetes, local");
    }

    @Test
    void sweepPrintsItsPlanBeforeAnythingRuns(@TempDir Path home) {
        Outcome plan = run("sweep", "../catalog/auth-latency.yaml", "--plan", "--home", home.toString(),
                "--vary", "gateway:resilience4j.circuitbreaker.instances.auth.failure-rate-threshold=25,50",
                "--vary", "faults[0].latency.delay=500ms,2s,4s");

        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.out()).startsWith("sweep of ../catalog/auth-latency.yaml: 6 cell(s) (gateway:resilience4j.circuitbreaker.instances"
                        + ".auth.failure-rate-threshold × 2, faults[0].latency.delay × 3), 2 replica setting(s); estimated wall time 7m00s"
                        + " (270 s of phases, settling before each cell, one replica start and a restart of the services each further"
                        + " setting changes)")
                .contains("   6  gateway:resilience4j.circuitbreaker.instances.auth.failure-rate-threshold=50, faults[0].latency.delay=4s");
        assertThat(home.resolve("runs")).as("a plan runs nothing").doesNotExist();
    }

    @Test
    void sweepRefusesABadGridInOneLine(@TempDir Path home) {
        Outcome badIndex = run("sweep", "../catalog/auth-latency.yaml", "--home", home.toString(), "--vary", "faults[2].latency.delay=1s,2s");
        assertThat(badIndex.exit()).isEqualTo(2);
        assertThat(badIndex.err()).isEqualTo("blastradius sweep: --vary faults[2].latency.delay: the experiment has 1 fault(s), faults[0] to faults[0]\n");

        Outcome tooLarge = run("sweep", "../catalog/auth-latency.yaml", "--home", home.toString(), "--max-runs", "2",
                "--vary", "faults[0].latency.delay=1s,2s,3s");
        assertThat(tooLarge.exit()).isEqualTo(2);
        assertThat(tooLarge.err()).contains("the grid has 3 cells (3), more than --max-runs 2");

        Outcome badValue = run("sweep", "../catalog/auth-latency.yaml", "--home", home.toString(), "--vary", "faults[0].latency.delay=1s,soon");
        assertThat(badValue.exit()).isEqualTo(2);
        assertThat(badValue.err()).startsWith("blastradius sweep: --vary faults[0].latency.delay=soon: ");

        Outcome noVary = run("sweep", "../catalog/auth-latency.yaml", "--home", home.toString());
        assertThat(noVary.exit()).isEqualTo(2);
        assertThat(noVary.err()).contains("Missing required option: '--vary=KEY=V1,V2,…'");
        assertThat(home.resolve("runs")).doesNotExist();
    }
}
