package io.blastradius.replica.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Faster JVM starts through application class-data sharing (JDK 17 dynamic archives): a service's
 * Boot jar is extracted once (Boot's {@code jarmode=tools}), started once up to context refresh with
 * {@code -XX:ArchiveClassesAtExit}, and later started from the extracted jar with that archive.
 * Everything lives in {@code <module>/target/cds}; a rebuilt jar makes the archive stale. When
 * anything fails the service simply starts from its Boot jar, without the archive.
 */
public final class ClassDataSharing {

    private static final long TRAINING_TIMEOUT_SECONDS = 180;

    private ClassDataSharing() {
    }

    /** The command-line arguments that start {@code bootJar}: with its archive when one is ready, else plain. */
    public static List<String> launchArguments(Path bootJar) {
        Layout layout = Layout.of(bootJar);
        if (layout.isFresh()) {
            return List.of("-XX:SharedArchiveFile=" + layout.archive, "-jar", layout.extractedJar.toString());
        }
        return List.of("-jar", bootJar.toString());
    }

    public static boolean isFresh(Path bootJar) {
        return Layout.of(bootJar).isFresh();
    }

    /**
     * Makes the archive of {@code bootJar} if it is missing or stale, training with the JVM options the
     * service will run with (heap, GC) and its program arguments. Returns why it could not, if it could not.
     * Safe to call from concurrent launchers: a file lock serialises the training.
     */
    public static Optional<String> prepare(Path bootJar, String java, List<String> jvmOptions, List<String> programArguments) {
        Layout layout = Layout.of(bootJar);
        try {
            Files.createDirectories(layout.dir);
            try (FileChannel channel = FileChannel.open(layout.dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (layout.isFresh()) {
                    return Optional.empty();
                }
                Files.deleteIfExists(layout.archive);
                run(layout, List.of(java, "-Djarmode=tools", "-jar", bootJar.toString(), "extract",
                        "--destination", layout.dir.toString(), "--force"));
                List<String> training = new ArrayList<>(List.of(java));
                training.addAll(jvmOptions);
                training.addAll(List.of("-XX:ArchiveClassesAtExit=" + layout.archive, "-Dspring.context.exit=onRefresh",
                        "-jar", layout.extractedJar.toString()));
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

    private static void run(Layout layout, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log.toFile())).start();
        if (!process.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("'" + String.join(" ", command.subList(0, Math.min(4, command.size())))
                    + " …' did not finish within " + TRAINING_TIMEOUT_SECONDS + " s");
        }
    }

    private record Layout(Path bootJar, Path dir, Path extractedJar, Path archive, Path log) {
        static Layout of(Path bootJar) {
            Path dir = bootJar.resolveSibling("cds");
            return new Layout(bootJar, dir, dir.resolve(bootJar.getFileName()),
                    dir.resolve(bootJar.getFileName().toString().replace(".jar", ".jsa")), dir.resolve("training.log"));
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
