package io.blastradius.junit;

import io.blastradius.containers.DockerOrSkip;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;


/**
 * The same factory on {@code --env testcontainers}: every {@code verify} runs a negative control there
 * ({@code controls/coupled-auth-down.yaml}: the coupled gateway must be seen to fail when auth is down; it
 * deviates, and its gate passes); {@code ./mvnw verify -Pchaos-containers} runs the whole catalog on
 * containers instead. Without a Docker engine it skips in one line (CI, which starts one, fails instead).
 */
class ContainersIT {

    @TestFactory
    Stream<DynamicNode> experimentsOnContainers() {
        DockerOrSkip.requireImages();
        boolean catalog = Boolean.getBoolean("blastradius.chaos.containers");
        Path experiments = CatalogIT.HOME.resolve(catalog ? "experiments/catalog" : "experiments/junit/src/test/resources/controls/coupled-auth-down.yaml");
        return ChaosExperiments.of(experiments)
                .home(CatalogIT.HOME)
                .environment("testcontainers")
                .reportsTo(CatalogIT.HOME.resolve("experiments/junit/target/containers-" + (catalog ? "catalog" : "control")))
                .tests();
    }
}
