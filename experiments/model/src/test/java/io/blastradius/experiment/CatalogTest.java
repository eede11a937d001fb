package io.blastradius.experiment;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every shipped experiment loads: a catalog file that does not validate is a defect of ours. */
class CatalogTest {

    static final Path CATALOG = Path.of("../catalog");

    @TestFactory
    Stream<DynamicTest> everyCatalogExperimentIsValidAndSaysWhatItShows() throws IOException {
        ExperimentLoader loader = new ExperimentLoader();
        try (Stream<Path> files = Files.list(CATALOG)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream()
                    .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                        Experiment experiment = loader.load(file);
                        assertThat(experiment.metadata().name() + ".yaml").isEqualTo(file.getFileName().toString());
                        assertThat(Files.readString(file)).as("a comment saying what it shows")
                                .containsPattern("(?m)^# .*\\S");
                        assertThat(experiment.hypotheses()).isNotEmpty();
                    }));
        }
    }
}
