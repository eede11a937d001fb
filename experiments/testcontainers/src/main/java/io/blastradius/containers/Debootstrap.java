package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import io.blastradius.environment.EnvironmentException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A Debian base image made here, for machines that can reach Debian's package mirror but no container
 * registry: {@code debootstrap --variant=minbase bookworm} into a folder, imported as an image (about 30 s, once).
 */
final class Debootstrap {

    private static final String MIRROR = "http://deb.debian.org/debian";

    private Debootstrap() {
    }

    static void make(DockerClient docker, String tag, PrintWriter out) {
        if (!onPath("debootstrap")) {
            throw new EnvironmentException("no base image can be pulled and debootstrap is not installed to make one:"
                    + " install it (apt-get install debootstrap), or load a Debian image as " + Images.DEBIAN_PUBLIC);
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new EnvironmentException("no base image can be pulled, and making one with debootstrap needs root:"
                    + " run './blastradius images' as root once, or load a Debian image as " + Images.DEBIAN_PUBLIC);
        }
        out.println("images: making " + tag + " from Debian's packages with debootstrap (no registry; about a minute, once)");
        out.flush();
        long began = System.nanoTime();
        Path work;
        try {
            work = Files.createTempDirectory("blastradius-debian-");
        } catch (IOException e) {
            throw new EnvironmentException("could not create a folder for debootstrap: " + e.getMessage(), e);
        }
        Path rootfs = work.resolve("rootfs");
        // built FROM scratch with the archive ADDed (unpacked), through the same build API as every other image
        Path archive = work.resolve("context").resolve("rootfs.tar");
        try {
            run(List.of("debootstrap", "--variant=minbase", "bookworm", rootfs.toString(), MIRROR), work.resolve("debootstrap.log"));
            slim(rootfs, work.resolve("slim.log"));
            Files.createDirectories(archive.getParent());
            run(List.of("tar", "-C", rootfs.toString(), "-cf", archive.toString(), "."), work.resolve("tar.log"));
            Files.writeString(archive.resolveSibling("Dockerfile"), "FROM scratch\nADD rootfs.tar /\nCMD [\"bash\"]\n");
            docker.buildImageCmd().withBaseDirectory(archive.getParent().toFile()).withDockerfile(archive.resolveSibling("Dockerfile").toFile())
                    .withTags(Set.of(tag)).withPull(false).exec(new BuildImageResultCallback()).awaitImageId();
            out.printf("images: %-42s %-7s in %5.1f s, %d MB%n", tag, "made", (System.nanoTime() - began) / 1e9,
                    docker.inspectImageCmd(tag).exec().getSize() / 1_000_000);
        } catch (IOException e) {
            throw new EnvironmentException("could not import the debootstrapped Debian: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while making " + tag);
        } finally {
            Images.delete(work);
        }
    }

    /**
     * What a container never reads, as Debian's own slim image leaves it out: the packages debootstrap
     * downloaded, the package lists, manuals, documentation (but each package's copyright) and translations;
     * and the same for what later images install on it (a dpkg filter).
     */
    private static void slim(Path rootfs, Path log) throws IOException, InterruptedException {
        run(List.of("find", rootfs.resolve("var/cache/apt/archives").toString(), rootfs.resolve("var/lib/apt/lists").toString(),
                "-type", "f", "-delete"), log);
        run(List.of("find", rootfs.resolve("usr/share/doc").toString(), "-type", "f", "!", "-name", "copyright", "-delete"), log);
        // the folders stay: some packages' scripts link into them (update-alternatives into man1)
        for (String dir : List.of("usr/share/man", "usr/share/info", "usr/share/locale")) {
            run(List.of("find", rootfs.resolve(dir).toString(), "!", "-type", "d", "-delete"), log);
        }
        Files.writeString(rootfs.resolve("etc/dpkg/dpkg.cfg.d/blastradius-slim"), """
                path-exclude /usr/share/doc/*
                path-include /usr/share/doc/*/copyright
                path-exclude /usr/share/man/*
                path-exclude /usr/share/info/*
                path-exclude /usr/share/locale/*
                """);
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (process.waitFor() != 0) {
            throw new EnvironmentException(String.join(" ", command) + " failed: " + Images.firstLine(Files.readString(log)));
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
