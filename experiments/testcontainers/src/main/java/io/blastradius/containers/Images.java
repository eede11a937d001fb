package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.PullImageResultCallback;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.experiment.Service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The replica's images, built from the jars of the build: {@code blastradius/<service>:<version>} for the
 * four services and the fault proxy, {@code blastradius/redis:<version>}, all on {@code blastradius/jre:17}
 * (Debian's OpenJDK 17, tini, a non-root user). The Debian underneath is {@code debian:bookworm-slim} when it
 * is here or can be pulled, else one made here from Debian's packages with debootstrap. An image whose
 * inputs (Dockerfile, jar, base) did not change is not built again: a second run with unchanged jars takes a second.
 */
public final class Images {

    public static final String VERSION = version();
    public static final String DEBIAN_PUBLIC = "debian:bookworm-slim";
    public static final String DEBIAN_LOCAL = "blastradius/debian:bookworm";
    public static final String JRE = "blastradius/jre:17";
    public static final String FAULT_PROXY = "blastradius/fault-proxy:" + VERSION;
    static final String INPUTS_LABEL = "io.blastradius.inputs";

    private final DockerClient docker;
    private final Path home;
    private final PrintWriter out;

    private Images(DockerClient docker, Path home, PrintWriter out) {
        this.docker = docker;
        this.home = home;
        this.out = out;
    }

    /** The image of a service of the replica (Redis included). */
    public static String of(Service service) {
        return "blastradius/" + service.wireName() + ":" + VERSION;
    }

    /** Every image a replica on containers needs. */
    public static List<String> replica() {
        List<String> all = new ArrayList<>(Stream.of(Service.values()).map(Images::of).toList());
        all.add(FAULT_PROXY);
        return all;
    }

    /** Builds every image from the checkout at {@code home}, telling {@code out} what it does. */
    public static void buildAll(Path home, PrintWriter out) {
        new Images(Docker.client(), home, out).build();
    }

    /** The replica's images that this engine does not have. */
    public static List<String> missing() {
        DockerClient docker = Docker.client();
        return replica().stream().filter(image -> !Docker.imageExists(docker, image)).toList();
    }

    /**
     * The replica's images that were built from other jars or Dockerfiles than those of the checkout at
     * {@code home}, each with what it should have been built from; images whose jar is not there are not judged.
     */
    public static List<String> stale(Path home) {
        Images images = new Images(Docker.client(), home, new PrintWriter(PrintWriter.nullWriter()));
        return images.fromJars().stream()
                .filter(r -> r.files().stream().allMatch(Files::isRegularFile) && Docker.imageExists(images.docker, r.tag()))
                .filter(r -> !images.inputs(r).equals(images.labels(r.tag()).get(INPUTS_LABEL)))
                .map(r -> r.tag() + " (not built from " + home.relativize(r.files().get(0)) + " and " + home.relativize(r.dockerfile()) + ")")
                .toList();
    }

    /** What an image is built from: its Dockerfile, build arguments and the files it copies. */
    private record Recipe(String tag, Path dockerfile, Map<String, String> args, List<Path> files) {
    }

    /** The images made from this build's jars: the fault proxy's and the services'. */
    private List<Recipe> fromJars() {
        List<Recipe> recipes = new ArrayList<>();
        recipes.add(new Recipe(FAULT_PROXY, home.resolve("fault-proxy/Dockerfile"), Map.of("BASE", JRE),
                List.of(home.resolve("fault-proxy/target/fault-proxy.jar"))));
        for (Service service : Service.values()) {
            if (service.isJvm()) {
                Path module = home.resolve(service.module());
                recipes.add(new Recipe(of(service), module.resolve("Dockerfile"), Map.of("BASE", JRE),
                        List.of(module.resolve("target").resolve(service.module() + ".jar"))));
            }
        }
        return recipes;
    }

    private void build() {
        List<Recipe> fromJars = fromJars();
        fromJars.forEach(r -> requireJar(r.files().get(0)));
        Path images = home.resolve("experiments/testcontainers/images");
        String debian = debian();
        buildInParallel(List.of(
                new Recipe(JRE, images.resolve("debian-jre.Dockerfile"), Map.of("DEBIAN", debian),
                        List.of(images.resolve("healthy"), images.resolve("boot-cds"))),
                new Recipe(of(Service.REDIS), images.resolve("redis.Dockerfile"), Map.of("DEBIAN", debian), List.of())));
        buildInParallel(fromJars);
    }

    /**
     * Two builds at a time: each service's build is mostly one thread (its class-data training start), and
     * this project's machines have two cores. The first failure is thrown once every build has ended.
     */
    private void buildInParallel(List<Recipe> recipes) {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "image-build"));
        try {
            List<Future<?>> builds = recipes.stream().<Future<?>>map(r -> pool.submit(() -> build(r))).toList();
            EnvironmentException first = null;
            for (Future<?> build : builds) {
                try {
                    build.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof EnvironmentException ee ? ee
                                : new EnvironmentException("building the images failed: " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while building the images", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void requireJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new EnvironmentException(jar + " is missing: build the jars first ('./mvnw -DskipTests package';"
                    + " ./blastradius does it by itself)");
        }
    }

    /** The Debian to build on: one made here before, the public slim image if here or pullable, else one made now. */
    private String debian() {
        if (Docker.imageExists(docker, DEBIAN_LOCAL)) {
            return DEBIAN_LOCAL;
        }
        if (Docker.imageExists(docker, DEBIAN_PUBLIC)) {
            return DEBIAN_PUBLIC;
        }
        try {
            docker.pullImageCmd(DEBIAN_PUBLIC).exec(new PullImageResultCallback()).awaitCompletion(120, TimeUnit.SECONDS);
            if (Docker.imageExists(docker, DEBIAN_PUBLIC)) {
                out.println("images: pulled " + DEBIAN_PUBLIC);
                return DEBIAN_PUBLIC;
            }
        } catch (RuntimeException e) {
            out.println("images: " + DEBIAN_PUBLIC + " cannot be pulled (" + firstLine(e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while pulling " + DEBIAN_PUBLIC);
        }
        Debootstrap.make(docker, DEBIAN_LOCAL, out);
        return DEBIAN_LOCAL;
    }

    private void build(Recipe recipe) {
        String tag = recipe.tag();
        Path dockerfile = recipe.dockerfile();
        long began = System.nanoTime();
        String inputs = inputs(recipe);
        if (Docker.imageExists(docker, tag) && inputs.equals(labels(tag).get(INPUTS_LABEL))) {
            report(tag, "current", began);
            return;
        }
        Path context = context(dockerfile, recipe.files());
        try {
            var command = docker.buildImageCmd().withDockerfile(context.resolve("Dockerfile").toFile()).withBaseDirectory(context.toFile())
                    .withTags(Set.of(tag)).withLabels(Map.of(INPUTS_LABEL, inputs)).withPull(false).withRemove(true);
            recipe.args().forEach(command::withBuildArg);
            command.exec(new BuildImageResultCallback()).awaitImageId();
        } catch (RuntimeException e) {
            throw new EnvironmentException("building " + tag + " from " + dockerfile + " failed: " + firstLine(e.getMessage()), e);
        } finally {
            delete(context);
        }
        report(tag, "built", began);
    }

    private void report(String tag, String what, long began) {
        long size = docker.inspectImageCmd(tag).exec().getSize();
        out.printf("images: %-42s %-7s in %5.1f s, %d MB%n", tag, what, (System.nanoTime() - began) / 1e9, size / 1_000_000);
        out.flush();
    }

    private Map<String, String> labels(String image) {
        Map<String, String> labels = docker.inspectImageCmd(image).exec().getConfig().getLabels();
        return labels == null ? Map.of() : labels;
    }

    /**
     * A digest of everything an image is made from: its Dockerfile, the files it copies, the build arguments
     * and the images they name. Equal to the label of the image there: nothing to build, not even a context
     * to send (a cache hit through the daemon still reads every jar).
     */
    private String inputs(Recipe recipe) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Files.readAllBytes(recipe.dockerfile()));
            for (Path file : recipe.files()) {
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
            for (Map.Entry<String, String> arg : new TreeMap<>(recipe.args()).entrySet()) {
                String base = Docker.imageExists(docker, arg.getValue()) ? docker.inspectImageCmd(arg.getValue()).exec().getId() : "";
                digest.update((arg.getKey() + "=" + arg.getValue() + "@" + base + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read what " + recipe.dockerfile() + " builds from", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** A build context of the Dockerfile and the files it copies, nothing else (a module's folder holds far more). */
    private static Path context(Path dockerfile, List<Path> files) {
        try {
            Path context = Files.createTempDirectory("blastradius-image-");
            Files.copy(dockerfile, context.resolve("Dockerfile"));
            for (Path file : files) {
                Files.copy(file, context.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the build context of " + dockerfile, e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    static String firstLine(String message) {
        String text = String.valueOf(message).strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = Images.class.getResourceAsStream("images.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("images.properties is part of this jar", e);
        }
        return properties.getProperty("version");
    }
}
