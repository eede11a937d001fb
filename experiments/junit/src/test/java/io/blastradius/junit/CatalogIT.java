package io.blastradius.junit;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Experiments as a team would gate on them, through {@link ChaosExperiments}: every {@code verify} runs
 * the short smoke experiment; {@code ./mvnw verify -Pchaos} runs the whole catalog instead.
 */
class CatalogIT {

    static final Path HOME = Path.of(System.getProperty("blastradius.home", "..")).toAbsolutePath().normalize();

    @TestFactory
    Stream<DynamicNode> experiments() {
        boolean catalog = Boolean.getBoolean("blastradius.chaos");
        Path experiments = catalog ? HOME.resolve("experiments/catalog") : HOME.resolve("experiments/smoke.yaml");
        return ChaosExperiments.of(experiments)
                .home(HOME)
                .reportsTo(HOME.resolve("experiments/junit/target/chaos-" + (catalog ? "catalog" : "smoke")))
                .tests();
    }
}
