package io.blastradius.cli;

import io.blastradius.containers.Images;
import io.blastradius.environment.EnvironmentException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code blastradius images}: the replica's images from the jars of the build, for {@code --env testcontainers} and k8s/. */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = {"Build the replica's images from the jars of the build: blastradius/<name>:<version>"
                + " for gateway, auth-service, session-cache, inference-stub, redis and fault-proxy, on blastradius/jre:17.",
                "Where no base image can be pulled, makes a Debian one from Debian's packages (debootstrap, root, once).",
                "A second build with unchanged jars is a cache hit."})
final class ImagesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", hidden = true, defaultValue = "${env:BLASTRADIUS_HOME:-.}")
    Path home;

    @Override
    public Integer call() {
        long began = System.nanoTime();
        try {
            Images.buildAll(home.toAbsolutePath().normalize(), spec.commandLine().getOut());
        } catch (EnvironmentException e) {
            spec.commandLine().getErr().println("blastradius images: " + e.getMessage());
            return BlastRadius.FAILED;
        }
        spec.commandLine().getOut().printf("images: all %d ready in %.1f s; tag %s%n", Images.replica().size(),
                (System.nanoTime() - began) / 1e9, Images.VERSION);
        return BlastRadius.OK;
    }
}
