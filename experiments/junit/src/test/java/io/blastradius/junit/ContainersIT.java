package io.blastradius.junit;

import io.blastradius.containers.DockerOrSkip;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;


/**
 * The same factory on {@code --env testcontainers}: every {@code verify} runs the catalog's negative control
 * there (the coupled gateway must be seen to suffer slow auth: it deviates, and its gate passes);
 * {@code ./mvnw verify -Pchaos-containers} runs the whole catalog on containers instead. Without a Docker
 * engine it skips in one line (CI, which starts one, fails instead).
 */
class ContainersIT {

    @TestFactory
    Stream<DynamicNode> experimentsOnContainers() {
        DockerOrSkip.requireImages();
        boolean catalog = Boolean.getBoolean("blastradius.chaos.containers");
        Path experiments = CatalogIT.HOME.resolve(catalog ? "experiments/catalog" : "experiments/catalog/control-coupled-auth-latency.yaml");
        return ChaosExperiments.of(experiments)
                .home(CatalogIT.HOME)
                .environment("testcontainers")
                .reportsTo(CatalogIT.HOME.resolve("experiments/junit/target/containers-" + (catalog ? "catalog" : "control")))
                .tests();
    }
}
