package io.blastradius.cli.bench;

import io.blastradius.containers.ContainerEnvironmentProvider;
import io.blastradius.containers.DockerOrSkip;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.Experiment.ReplicaSpec;
import io.blastradius.replica.LocalReplica;
import io.blastradius.replica.ReplicaOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The replica's start to all-healthy, local processes against containers, alternately in one sitting
 * (median of {@code -Druns=3}). A measurement, not a test: it asserts nothing. Run it with
 * {@code ./mvnw -q -pl experiments/cli -am verify -Dtest=ReplicaStartBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
class ReplicaStartBenchmark {

    static final Path HOME = Path.of(System.getProperty("blastradius.home", "../..")).toAbsolutePath().normalize();

    @Test
    void localAgainstContainers() {
        DockerOrSkip.requireImages();
        int runs = Integer.getInteger("runs", 3);
        Path work = HOME.resolve("runs/bench-start-" + RunIds.next());
        List<Double> local = new ArrayList<>();
        List<Double> containers = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            long began = System.nanoTime();
            try (LocalReplica replica = LocalReplica.start(ReplicaOptions.custom(HOME).runDir(work.resolve("local-" + i)).build())) {
                local.add((System.nanoTime() - began) / 1e9);
            }
            began = System.nanoTime();
            try (Environment environment = new ContainerEnvironmentProvider().open(new EnvironmentRequest(HOME, work.resolve("containers-" + i),
                    ReplicaSpec.DEFAULT, 0, Map.of()))) {
                containers.add((System.nanoTime() - began) / 1e9);
            }
            System.out.printf("run %d: local %.1f s, containers %.1f s%n", i, local.get(i - 1), containers.get(i - 1));
        }
        double l = median(local);
        double c = median(containers);
        System.out.printf("median start to all-healthy over %d runs: local %.1f s, containers %.1f s (%.2fx)%n", runs, l, c, c / l);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
