package io.blastradius.junit;

import io.blastradius.engine.Check;
import io.blastradius.engine.RunListener;
import io.blastradius.engine.RunResult;
import io.blastradius.engine.Suite;
import io.blastradius.engine.faults.Faults;
import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.environment.Environments;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.environment.RunIds;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Experiments as JUnit 5 dynamic tests, so that a resilience gate can live in {@code mvn verify}:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicNode> resilience() {
 *     return ChaosExperiments.of(Path.of("experiments/catalog/auth-latency.yaml")).tests();
 * }
 * }</pre>
 *
 * One container per experiment, run as {@code blastradius run} runs a suite (one local replica per set
 * of replica settings, reset between experiments, or an attached one); in it one test per judged
 * check and a {@code gate} test that fails unless the verdict is the one expected. A negative
 * control's checks are expected to fail, so for it only the gate is a test. The suite's reports
 * (journal.json per experiment, junit.xml, summary.md, report.html) go to {@link #reportsTo}, and the
 * replica stops, when JUnit closes the stream.
 */
public final class ChaosExperiments {

    private final List<Path> paths;
    private Path home = defaultHome();
    private String environment = "local";
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private Path reports;
    private Long seed;

    private ChaosExperiments(List<Path> paths) {
        this.paths = paths;
    }

    /** Experiment files, or folders of them. */
    public static ChaosExperiments of(Path... filesOrFolders) {
        return new ChaosExperiments(List.of(filesOrFolders));
    }

    /**
     * The Blast Radius checkout whose built jars the local replica runs (default: the system property
     * {@code blastradius.home}, else the environment variable {@code BLASTRADIUS_HOME}, else the working directory).
     */
    public ChaosExperiments home(Path home) {
        this.home = home;
        return this;
    }

    /** Runs against a replica that is already up (the replica.json {@code blastradius up} wrote), not a local one. */
    public ChaosExperiments attach(Path replicaJson) {
        return environment("attach").parameter("replica", replicaJson.toAbsolutePath().toString());
    }

    /** Where to run: the name of an environment on the test classpath (default {@code local}). */
    public ChaosExperiments environment(String name) {
        this.environment = name;
        return this;
    }

    /** A parameter of the environment (attach: {@code replica}, the path of a replica.json). */
    public ChaosExperiments parameter(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    /** The seed of every random choice (default: each experiment's own, else a new one). */
    public ChaosExperiments seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Where the reports go (default: {@code runs/junit-<time>} under the home). */
    public ChaosExperiments reportsTo(Path directory) {
        this.reports = directory;
        return this;
    }

    /**
     * The dynamic tests. Invalid experiment files fail here, before anything runs, with every problem
     * as file:line:col ({@link io.blastradius.experiment.InvalidExperimentException}), and so do faults the
     * environment cannot apply, and an unknown environment or a missing parameter (IllegalArgumentException).
     */
    public Stream<DynamicNode> tests() {
        Path root = home.toAbsolutePath().normalize();
        Path runDir = (reports != null ? reports : root.resolve("runs").resolve("junit-" + RunIds.next())).toAbsolutePath();
        EnvironmentProvider provider = Environments.named(environment);
        provider.validate(new EnvironmentRequest(root, runDir, Experiment.ReplicaSpec.DEFAULT, 0, parameters));
        List<Experiment> experiments = load(provider);
        PrintWriter console = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        Suite suite = new Suite(new Suite.Settings(root, runDir, provider, parameters, false, seed), console, new RunListener() { });
        return Suite.inReplicaOrder(experiments).stream()
                .<DynamicNode>map(experiment -> DynamicContainer.dynamicContainer(experiment.metadata().name(),
                        experiment.source().toUri(), Stream.of(experiment).flatMap(e -> testsOf(suite.run(e)))))
                .onClose(() -> console.println(suite.finish() + " Reports: " + runDir));
    }

    private List<Experiment> load(EnvironmentProvider provider) {
        try {
            return new ExperimentLoader(Faults.supportedBy(provider)).loadAll(paths);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One test per check (for an experiment expected to pass), and the gate. */
    static Stream<DynamicTest> testsOf(RunResult result) {
        List<DynamicTest> tests = new ArrayList<>();
        if (result.experiment().expect() == Experiment.Expectation.PASS) {
            for (Check check : result.checks()) {
                tests.add(DynamicTest.dynamicTest(check.hypothesis() + " [" + check.phase() + "] " + check.metric(), () -> {
                    if (!check.passed()) {
                        throw new AssertionFailedError(check.hypothesis() + ": " + check.sentence(), check.required(), check.actual());
                    }
                }));
            }
        }
        tests.add(DynamicTest.dynamicTest("gate", () -> {
            if (!result.gatePassed()) {
                throw new AssertionFailedError(String.format(Locale.ROOT, "%s: expected %s, was %s (seed %d): %s",
                        result.experiment().metadata().name(), result.experiment().expect().name().toLowerCase(Locale.ROOT),
                        result.verdict(), result.seed(), String.join("; ", result.reasons())));
            }
        }));
        return tests.stream();
    }

    private static Path defaultHome() {
        String property = System.getProperty("blastradius.home");
        String env = System.getenv("BLASTRADIUS_HOME");
        return Path.of(property != null ? property : env != null ? env : ".");
    }
}
