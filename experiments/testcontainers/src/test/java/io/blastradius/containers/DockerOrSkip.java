package io.blastradius.containers;

import org.junit.jupiter.api.Assumptions;

import java.io.PrintWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.fail;

/**
 * The container tests need a Docker engine; they build the replica's images from the jars under test.
 * Without an engine a developer's build skips them with one line; CI (CI=true), which installs one, fails instead.
 * In this module's test-jar, for the other modules' container tests.
 */
public final class DockerOrSkip {

    private DockerOrSkip() {
    }

    /** Skips (or fails on CI) without an engine; else builds the images from this build's jars (a second or two when current). */
    public static void requireImages() {
        if (!Docker.available()) {
            skipOrFail("no Docker engine (DOCKER_HOST or the default socket): the container tests skip");
        }
        synchronized (DockerOrSkip.class) {
            if (!built) {
                Images.buildAll(HOME, new PrintWriter(System.out, true));
                built = true;
            }
        }
    }

    static final Path HOME = Path.of(System.getProperty("blastradius.home", "../..")).toAbsolutePath().normalize();
    private static boolean built;

    private static void skipOrFail(String why) {
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true: " + why);
        }
        System.out.println("[skip] " + why);
        Assumptions.abort(why);
    }
}
