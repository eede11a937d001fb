package io.blastradius.replica.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Faster JVM starts from an archive made by a training start: a service's Boot jar is extracted once
 * (Boot's {@code jarmode=tools}), started once up to context refresh, and later started from the
 * extracted jar with what that start recorded. The JDK that runs the service decides the kind:
 * <ul>
 *   <li>JDK 25 and later: an AOT cache (JEP 483/514/515: classes loaded and linked, method profiles),
 *       {@code -XX:AOTCacheOutput} to make it, {@code -XX:AOTCache} to use it;</li>
 *   <li>JDK 17 to 24: a dynamic class-data archive, {@code -XX:ArchiveClassesAtExit} and
 *       {@code -XX:SharedArchiveFile}.</li>
 * </ul>
 * Everything lives in {@code <module>/target/cds}, one archive per JDK version (an archive only serves
 * the JDK that made it); a rebuilt jar makes it stale. When anything fails the service simply starts
 * from its Boot jar, without the archive.
 */
public final class ClassDataSharing {

    private static final long TRAINING_TIMEOUT_SECONDS = 180;
    /** The first JDK with a one-step AOT cache (JEP 514). */
    private static final int AOT_CACHE_FEATURE = 25;

    private ClassDataSharing() {
    }

    /** The command-line arguments that start {@code bootJar} on {@code java}: with its archive when one is ready, else plain. */
    public static List<String> launchArguments(Path bootJar, String java) {
        Layout layout = Layout.of(bootJar, Jdk.of(java));
        if (layout.isFresh()) {
            return List.of(layout.jdk.aotCache() ? "-XX:AOTCache=" + layout.archive : "-XX:SharedArchiveFile=" + layout.archive,
                    "-jar", layout.extractedJar.toString());
        }
        return List.of("-jar", bootJar.toString());
    }

    public static boolean isFresh(Path bootJar, String java) {
        return Layout.of(bootJar, Jdk.of(java)).isFresh();
    }

    /** What {@code java} makes: "an AOT cache" or "a class-data archive". */
    public static String kind(String java) {
        return Jdk.of(java).aotCache() ? "an AOT cache" : "a class-data archive";
    }

    /**
     * Makes the archive of {@code bootJar} for {@code java} if it is missing or stale, training with the JVM
     * options the service will run with (heap, GC) and its program arguments. Returns why it could not, if it
     * could not. Safe to call from concurrent launchers: a file lock serialises the training.
     */
    public static Optional<String> prepare(Path bootJar, String java, List<String> jvmOptions, List<String> programArguments) {
        Layout layout = Layout.of(bootJar, Jdk.of(java));
        try {
            Files.createDirectories(layout.dir);
            try (FileChannel channel = FileChannel.open(layout.dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (layout.isFresh()) {
                    return Optional.empty();
                }
                Files.deleteIfExists(layout.archive);
                if (!isExtracted(layout)) {
                    run(layout, List.of(java, "-Djarmode=tools", "-jar", bootJar.toString(), "extract",
                            "--destination", layout.dir.toString(), "--force"));
                }
                List<String> training = new ArrayList<>(List.of(java));
                training.addAll(jvmOptions);
                training.add(layout.jdk.aotCache() ? "-XX:AOTCacheOutput=" + layout.archive : "-XX:ArchiveClassesAtExit=" + layout.archive);
                training.addAll(List.of("-Dspring.context.exit=onRefresh", "-jar", layout.extractedJar.toString()));
                training.addAll(programArguments);
                run(layout, training);
                if (!Files.isRegularFile(layout.archive)) {
                    return Optional.of("training did not write " + layout.archive + "; see " + layout.log);
                }
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** The extracted jar is newer than the Boot jar: archives for other JDKs share it. */
    private static boolean isExtracted(Layout layout) throws IOException {
        return Files.isRegularFile(layout.extractedJar)
                && Files.getLastModifiedTime(layout.extractedJar).compareTo(Files.getLastModifiedTime(layout.bootJar)) > 0;
    }

    private static void run(Layout layout, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log.toFile())).start();
        if (!process.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("'" + String.join(" ", command.subList(0, Math.min(4, command.size())))
                    + " …' did not finish within " + TRAINING_TIMEOUT_SECONDS + " s");
        }
    }

    /** The JDK of a java executable, from the {@code release} file of its home: its version and its feature number. */
    record Jdk(String version, int feature) {
        private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"((\\d+)[^\"]*)\"");

        static Jdk of(String java) {
            try {
                Path home = Path.of(java).toRealPath().getParent().getParent();
                Matcher m = JAVA_VERSION.matcher(Files.readString(home.resolve("release"), StandardCharsets.UTF_8));
                if (m.find()) {
                    return new Jdk(m.group(1), Integer.parseInt(m.group(2)));
                }
            } catch (IOException | RuntimeException e) {
                // no release file: treat it as the floor, whose archive any later JDK refuses harmlessly
            }
            return new Jdk("unknown", 17);
        }

        boolean aotCache() {
            return feature >= AOT_CACHE_FEATURE;
        }
    }

    private record Layout(Path bootJar, Jdk jdk, Path dir, Path extractedJar, Path archive, Path log) {
        static Layout of(Path bootJar, Jdk jdk) {
            Path dir = bootJar.resolveSibling("cds");
            String stem = bootJar.getFileName().toString().replace(".jar", "");
            return new Layout(bootJar, jdk, dir, dir.resolve(bootJar.getFileName()),
                    dir.resolve(stem + "-jdk" + jdk.version() + (jdk.aotCache() ? ".aot" : ".jsa")), dir.resolve("training.log"));
        }

        boolean isFresh() {
            try {
                return Files.isRegularFile(archive) && Files.isRegularFile(extractedJar)
                        && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(bootJar)) > 0;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
