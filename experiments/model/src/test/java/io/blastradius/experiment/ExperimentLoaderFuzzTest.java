package io.blastradius.experiment;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;

/**
 * Whatever text it is given, the loader either returns an experiment or refuses it with its problems
 * ({@link InvalidExperimentException}, each with a line and column in the text): any other exception, or
 * a hang, is a defect. A plain build replays the saved inputs; {@code -Pfuzz} fuzzes (seeded with the catalog).
 */
class ExperimentLoaderFuzzTest {

    static final ExperimentLoader LOADER = new ExperimentLoader();

    @FuzzTest(maxDuration = "2m")
    void anyTextIsLoadedOrRefusedWithItsProblems(byte[] bytes) {
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        try {
            LOADER.load(Path.of("fuzz.yaml"), text);
        } catch (InvalidExperimentException e) {
            for (InvalidExperimentException.Problem problem : e.problems()) {
                if (problem.line() < 1 || problem.column() < 1 || problem.message().isBlank()) {
                    throw new AssertionError("a problem without a place or words: " + problem, e);
                }
            }
        }
    }
}
